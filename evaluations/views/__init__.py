"""Views of the year-end evaluation, one module per concept."""

from evaluations.views.hub import EvaluationDetailView, EvaluationStartView
from evaluations.views.phases import (
    DeadlineExtendView,
    EvaluationDatesView,
    OpenSelfAssessmentView,
    StartCheckingView,
)
from evaluations.views.table import (
    ClassificationCreateView,
    ClassificationDeleteView,
    CriterionCreateView,
    CriterionDeleteView,
    CriterionMoveView,
    CriterionUpdateView,
    TableAdoptView,
    TableCopyView,
    TableDetailView,
    TableExportView,
    TableImportView,
    TableSettingsView,
)

__all__ = [
    "ClassificationCreateView",
    "ClassificationDeleteView",
    "CriterionCreateView",
    "CriterionDeleteView",
    "CriterionMoveView",
    "CriterionUpdateView",
    "DeadlineExtendView",
    "EvaluationDatesView",
    "EvaluationDetailView",
    "EvaluationStartView",
    "OpenSelfAssessmentView",
    "StartCheckingView",
    "TableAdoptView",
    "TableCopyView",
    "TableDetailView",
    "TableExportView",
    "TableImportView",
    "TableSettingsView",
]
