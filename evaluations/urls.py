"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

prefix = "<slug:code>/<int:year>/"
assessment = f"{prefix}assessments/<slug:department>/"

urlpatterns: list = [
    # Self-assessment (ev-assess)
    path(assessment, views.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(f"{assessment}edit/", views.AssessmentEditView.as_view(), name="assessment-edit"),
    path(f"{assessment}submit/", views.AssessmentSubmitView.as_view(), name="assessment-submit"),
    path(f"{assessment}return/", views.AssessmentReturnView.as_view(), name="assessment-return"),
    path(f"{assessment}evidence/add/", views.EvidenceAddView.as_view(), name="evidence-add"),
    path(
        f"{assessment}evidence/<int:pk>/",
        views.EvidenceFileView.as_view(),
        name="evidence-file",
    ),
    path(
        f"{assessment}evidence/<int:pk>/remove/",
        views.EvidenceRemoveView.as_view(),
        name="evidence-remove",
    ),
]
