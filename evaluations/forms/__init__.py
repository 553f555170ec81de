"""Forms of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.forms.assessments import AssessmentForm, EvidenceForm, ReturnForm, SubmitForm

__all__ = ["AssessmentForm", "EvidenceForm", "ReturnForm", "SubmitForm"]
