"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

_YEAR = "<slug:code>/<int:year>/"

urlpatterns: list = [
    # ev-table: the hub, the criteria table, phases and dates
    path(_YEAR, views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path(_YEAR + "start", views.EvaluationStartView.as_view(), name="evaluation-start"),
    path(_YEAR + "table/", views.TableDetailView.as_view(), name="table-detail"),
    path(_YEAR + "table/export.xlsx", views.TableExportView.as_view(), name="table-export"),
    path(_YEAR + "table/import", views.TableImportView.as_view(), name="table-import"),
    path(_YEAR + "table/copy", views.TableCopyView.as_view(), name="table-copy"),
    path(_YEAR + "table/settings", views.TableSettingsView.as_view(), name="table-settings"),
    path(_YEAR + "table/adopt", views.TableAdoptView.as_view(), name="table-adopt"),
    path(_YEAR + "table/lines/add", views.CriterionCreateView.as_view(), name="table-line-create"),
    path(
        _YEAR + "table/lines/<int:pk>/edit",
        views.CriterionUpdateView.as_view(),
        name="table-line-update",
    ),
    path(
        _YEAR + "table/lines/<int:pk>/delete",
        views.CriterionDeleteView.as_view(),
        name="table-line-delete",
    ),
    path(
        _YEAR + "table/lines/<int:pk>/move",
        views.CriterionMoveView.as_view(),
        name="table-line-move",
    ),
    path(
        _YEAR + "table/classifications/add",
        views.ClassificationCreateView.as_view(),
        name="table-classification-create",
    ),
    path(
        _YEAR + "table/classifications/<int:pk>/delete",
        views.ClassificationDeleteView.as_view(),
        name="table-classification-delete",
    ),
    path(_YEAR + "dates", views.EvaluationDatesView.as_view(), name="evaluation-dates"),
    path(
        _YEAR + "phase/self-assessment",
        views.OpenSelfAssessmentView.as_view(),
        name="phase-self-assessment",
    ),
    path(_YEAR + "phase/checking", views.StartCheckingView.as_view(), name="phase-checking"),
    path(
        _YEAR + "extend/<slug:department>",
        views.DeadlineExtendView.as_view(),
        name="deadline-extend",
    ),
]
