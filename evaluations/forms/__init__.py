"""Forms of the year-end evaluation, one module per concept."""

from evaluations.forms.phases import DeadlineExtendForm, EvaluationDatesForm
from evaluations.forms.table import (
    ClassificationForm,
    CriterionForm,
    TableCopyForm,
    TableImportForm,
    TableSettingsForm,
)

__all__ = [
    "ClassificationForm",
    "CriterionForm",
    "DeadlineExtendForm",
    "EvaluationDatesForm",
    "TableCopyForm",
    "TableImportForm",
    "TableSettingsForm",
]
