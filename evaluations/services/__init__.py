"""Writes of the year-end evaluation, one module per concept. Every function runs in a
transaction, checks permission and phase, validates, records an audit event and sends mail
after the commit."""

from evaluations.services.common import assessments_create, evaluation_create
from evaluations.services.phases import (
    assessment_deadline_extend,
    evaluation_dates_set,
    evaluation_open_self_assessment,
    evaluation_send_reminders,
    evaluation_start_checking,
)
from evaluations.services.table import (
    classification_create,
    classification_delete,
    criterion_create,
    criterion_delete,
    criterion_move,
    criterion_update,
    table_adopt,
    table_copy_previous,
    table_import,
    table_settings_update,
)

__all__ = [
    "assessment_deadline_extend",
    "assessments_create",
    "classification_create",
    "classification_delete",
    "criterion_create",
    "criterion_delete",
    "criterion_move",
    "criterion_update",
    "evaluation_create",
    "evaluation_dates_set",
    "evaluation_open_self_assessment",
    "evaluation_send_reminders",
    "evaluation_start_checking",
    "table_adopt",
    "table_copy_previous",
    "table_import",
    "table_settings_update",
]
