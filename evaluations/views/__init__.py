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

__all__ = [
    "AssessmentDetailView",
    "AssessmentEditView",
    "AssessmentReturnView",
    "AssessmentSubmitView",
    "EvidenceAddView",
    "EvidenceFileView",
    "EvidenceRemoveView",
]
