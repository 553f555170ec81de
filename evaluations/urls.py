"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path

from cluster_portal import exports as tables
from evaluations import views as table_views
from evaluations.views import assessments, checking, results

app_name = "evaluations"

prefix = "<slug:code>/<int:year>/"
assessment = f"{prefix}assessments/<slug:department>/"

urlpatterns: list = [
    # ev-table: the hub, the criteria table, phases and dates
    path(prefix, table_views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path(prefix + "start/", table_views.EvaluationStartView.as_view(), name="evaluation-start"),
    path(prefix + "table/", table_views.TableDetailView.as_view(), name="table-detail"),
    path(prefix + "table/export.xlsx", table_views.TableExportView.as_view(), name="table-export"),
    path(prefix + "table/import/", table_views.TableImportView.as_view(), name="table-import"),
    path(prefix + "table/copy/", table_views.TableCopyView.as_view(), name="table-copy"),
    path(
        prefix + "table/settings/", table_views.TableSettingsView.as_view(), name="table-settings"
    ),
    path(prefix + "table/adopt/", table_views.TableAdoptView.as_view(), name="table-adopt"),
    path(
        prefix + "table/lines/add/",
        table_views.CriterionCreateView.as_view(),
        name="table-line-create",
    ),
    path(
        prefix + "table/lines/<int:pk>/edit/",
        table_views.CriterionUpdateView.as_view(),
        name="table-line-update",
    ),
    path(
        prefix + "table/lines/<int:pk>/delete/",
        table_views.CriterionDeleteView.as_view(),
        name="table-line-delete",
    ),
    path(
        prefix + "table/lines/<int:pk>/move/",
        table_views.CriterionMoveView.as_view(),
        name="table-line-move",
    ),
    path(
        prefix + "table/classifications/add/",
        table_views.ClassificationCreateView.as_view(),
        name="table-classification-create",
    ),
    path(
        prefix + "table/classifications/<int:pk>/delete/",
        table_views.ClassificationDeleteView.as_view(),
        name="table-classification-delete",
    ),
    path(prefix + "dates/", table_views.EvaluationDatesView.as_view(), name="evaluation-dates"),
    path(
        prefix + "phase/self-assessment/",
        table_views.OpenSelfAssessmentView.as_view(),
        name="phase-self-assessment",
    ),
    path(
        prefix + "phase/checking/", table_views.StartCheckingView.as_view(), name="phase-checking"
    ),
    path(
        prefix + "extend/<slug:department>/",
        table_views.DeadlineExtendView.as_view(),
        name="deadline-extend",
    ),
    # Self-assessment (ev-assess)
    path(assessment, assessments.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(f"{assessment}edit/", assessments.AssessmentEditView.as_view(), name="assessment-edit"),
    path(
        f"{assessment}submit/", assessments.AssessmentSubmitView.as_view(), name="assessment-submit"
    ),
    path(
        f"{assessment}return/", assessments.AssessmentReturnView.as_view(), name="assessment-return"
    ),
    path(f"{assessment}evidence/add/", assessments.EvidenceAddView.as_view(), name="evidence-add"),
    path(
        f"{assessment}evidence/<int:pk>/",
        assessments.EvidenceFileView.as_view(),
        name="evidence-file",
    ),
    path(
        f"{assessment}evidence/<int:pk>/remove/",
        assessments.EvidenceRemoveView.as_view(),
        name="evidence-remove",
    ),
    # Checking, adjustments and publication (ev-check)
    path(
        prefix + "checking/",
        checking.CheckingDetailView.as_view(),
        name="checking-detail",
    ),
    path(
        prefix + "checking/method/",
        checking.CheckingModeView.as_view(),
        name="checking-mode",
    ),
    path(
        prefix + "checking/assign/",
        checking.CheckerAssignView.as_view(),
        name="checking-assign",
    ),
    path(
        prefix + "checking/scores/<int:pk>/propose/",
        checking.ScoreFormView.as_view(),
        name="adjustment-propose",
    ),
    path(
        prefix + "checking/adjustments/<int:pk>/decide/",
        checking.AdjustmentDecideView.as_view(),
        name="adjustment-decide",
    ),
    path(
        prefix + "checking/adjustments/<int:pk>/answer/",
        checking.AdjustmentAnswerView.as_view(),
        name="adjustment-answer",
    ),
    path(
        prefix + "checking/<slug:department>/finalise/",
        checking.AssessmentFinaliseView.as_view(),
        name="checking-finalise",
    ),
    path(
        prefix + "assessments/<slug:department>/check/",
        checking.AssessmentCheckView.as_view(),
        name="assessment-check",
    ),
    path(
        prefix + "publish/",
        checking.EvaluationPublishView.as_view(),
        name="evaluation-publish",
    ),
    # The results page, its exports and the official PDF (ev-results)
    path(prefix + "results/", results.ResultsDetailView.as_view(), name="results-detail"),
    path(
        prefix + "results.csv",
        results.ResultsExportView.as_view(file_format=tables.CSV),
        name="results-csv",
    ),
    path(
        prefix + "results.xlsx",
        results.ResultsExportView.as_view(file_format=tables.XLSX),
        name="results-xlsx",
    ),
    path(prefix + "results.pdf", results.ResultsPdfView.as_view(), name="results-pdf"),
]
