"""Forms of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.forms.assessments import (
    AssessmentForm,
    EvidenceForm,
    ReturnForm,
    SubmitForm,
)
from evaluations.forms.phases import (
    DeadlineExtendForm,
    EvaluationDatesForm,
)
from evaluations.forms.table import (
    ClassificationForm,
    CriterionForm,
    TableCopyForm,
    TableImportForm,
    TableSettingsForm,
)

__all__ = [
    "AssessmentForm",
    "ClassificationForm",
    "CriterionForm",
    "DeadlineExtendForm",
    "EvaluationDatesForm",
    "EvidenceForm",
    "ReturnForm",
    "SubmitForm",
    "TableCopyForm",
    "TableImportForm",
    "TableSettingsForm",
]
