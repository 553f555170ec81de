"""Writes of the year-end evaluation, one module per concept. Every function runs in a
transaction, checks permission and phase, validates, records an audit event and sends mail
after the commit."""

from evaluations.services.assessments import (
    LineEntry,
    assessment_return,
    assessment_save,
    assessment_submit,
)
from evaluations.services.checking import (
    adjustment_answer,
    adjustment_decide,
    adjustment_propose,
    assessment_finalise,
    checker_assign,
    checking_mode_set,
    cross_check_assignment,
)
from evaluations.services.common import (
    assessments_create,
    evaluation_create,
)
from evaluations.services.evidence import evidence_add, evidence_remove
from evaluations.services.phases import (
    assessment_deadline_extend,
    evaluation_dates_set,
    evaluation_open_self_assessment,
    evaluation_send_reminders,
    evaluation_start_checking,
)
from evaluations.services.publication import (
    evaluation_publish,
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
    "LineEntry",
    "adjustment_answer",
    "adjustment_decide",
    "adjustment_propose",
    "assessment_deadline_extend",
    "assessment_finalise",
    "assessment_return",
    "assessment_save",
    "assessment_submit",
    "assessments_create",
    "checker_assign",
    "checking_mode_set",
    "classification_create",
    "classification_delete",
    "criterion_create",
    "criterion_delete",
    "criterion_move",
    "criterion_update",
    "cross_check_assignment",
    "evaluation_create",
    "evaluation_dates_set",
    "evaluation_open_self_assessment",
    "evaluation_publish",
    "evaluation_send_reminders",
    "evaluation_start_checking",
    "evidence_add",
    "evidence_remove",
    "table_adopt",
    "table_copy_previous",
    "table_import",
    "table_settings_update",
]
