"""Views of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.views.assessments import (
    AssessmentDetailView,
    AssessmentEditView,
    AssessmentReturnView,
    AssessmentSubmitView,
    EvidenceAddView,
    EvidenceFileView,
    EvidenceRemoveView,
)
from evaluations.views.hub import (
    EvaluationDetailView,
    EvaluationStartView,
)
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
    "AssessmentDetailView",
    "AssessmentEditView",
    "AssessmentReturnView",
    "AssessmentSubmitView",
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
    "EvidenceAddView",
    "EvidenceFileView",
    "EvidenceRemoveView",
    "OpenSelfAssessmentView",
    "StartCheckingView",
    "TableAdoptView",
    "TableCopyView",
    "TableDetailView",
    "TableExportView",
    "TableImportView",
    "TableSettingsView",
]
