"""Writes of the year-end evaluation, one module per concept. Every function runs in a
transaction, checks permission and phase, validates, records an audit event and sends mail
after the commit."""

from evaluations.services.assessments import (
    LineEntry,
    assessment_return,
    assessment_save,
    assessment_submit,
    evidence_add,
    evidence_remove,
)
from evaluations.services.common import assessments_create, evaluation_create

__all__ = [
    "LineEntry",
    "assessment_return",
    "assessment_save",
    "assessment_submit",
    "assessments_create",
    "evaluation_create",
    "evidence_add",
    "evidence_remove",
]
