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
from evaluations.services.checking import (
    adjustment_answer,
    adjustment_decide,
    adjustment_propose,
    assessment_finalise,
    checker_assign,
    checking_mode_set,
    cross_check_assignment,
)
from evaluations.services.common import assessments_create, evaluation_create
from evaluations.services.publication import evaluation_publish

__all__ = [
    "LineEntry",
    "adjustment_answer",
    "adjustment_decide",
    "adjustment_propose",
    "assessment_finalise",
    "assessment_return",
    "assessment_save",
    "assessment_submit",
    "assessments_create",
    "checker_assign",
    "checking_mode_set",
    "cross_check_assignment",
    "evaluation_create",
    "evaluation_publish",
    "evidence_add",
    "evidence_remove",
]
