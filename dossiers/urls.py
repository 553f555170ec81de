"""URLs of the award dossiers and the Ministry's decisions, under /dossiers/."""

from django.urls import path

from dossiers.views import dossiers as views
from dossiers.views import ministry

app_name = "dossiers"

urlpatterns: list = [
    # The Ministry's side (M): the year table across clusters, the council's decisions.
    path("ministry/<int:year>/", ministry.MinistryYearView.as_view(), name="ministry-year"),
    path(
        "proposals/<int:pk>/decision/",
        ministry.DecisionRecordView.as_view(),
        name="decision-record",
    ),
    # D: the dossier
    path("<slug:code>/<int:year>/", views.DossierListView.as_view(), name="dossier-list"),
    path("<slug:code>/<int:year>/new/", views.DossierCreateView.as_view(), name="dossier-create"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="dossier-detail"),
    path("<int:pk>/edit/", views.DossierEditView.as_view(), name="dossier-edit"),
    path("<int:pk>/attachments/add/", views.AttachmentAddView.as_view(), name="attachment-add"),
    path(
        "<int:pk>/documents/<int:doc>/remove/",
        views.AttachmentRemoveView.as_view(),
        name="attachment-remove",
    ),
    path(
        "<int:pk>/documents/<int:doc>/",
        views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("<int:pk>/proposals/", views.ProposalsRefreshView.as_view(), name="proposals-refresh"),
    path("<int:pk>/issue/", views.DossierIssueView.as_view(), name="dossier-issue"),
    path("<int:pk>/send/", views.DossierSendView.as_view(), name="dossier-send"),
    path("<int:pk>/return/", views.DossierReturnView.as_view(), name="dossier-return"),
    path("<int:pk>/resubmit/", views.DossierResubmitView.as_view(), name="dossier-resubmit"),
    path("<int:pk>/dossier.zip", views.DossierDownloadView.as_view(), name="dossier-download"),
]
