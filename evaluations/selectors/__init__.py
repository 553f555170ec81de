"""Reads of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.selectors.assessments import (
    AssessmentSheet,
    SheetRow,
    assessment_get,
    assessment_sheet,
    evidence_activity_list,
    evidence_get,
)
from evaluations.selectors.attention import evaluation_attention_items
from evaluations.selectors.checking import (
    CheckLine,
    adjustment_get,
    adjustment_list,
    check_lines,
    checking_assessment_get,
    checking_attention_items,
    checking_overview,
    checking_score_get,
    effective_points,
    own_points,
    submitted_best_actuals,
)
from evaluations.selectors.common import (
    ResultRow,
    criterion_list,
    evaluation_get,
    evaluation_lines,
    results_compute,
)

__all__ = [
    "AssessmentSheet",
    "CheckLine",
    "ResultRow",
    "SheetRow",
    "adjustment_get",
    "adjustment_list",
    "assessment_get",
    "assessment_sheet",
    "check_lines",
    "checking_assessment_get",
    "checking_attention_items",
    "checking_overview",
    "checking_score_get",
    "criterion_list",
    "effective_points",
    "evaluation_attention_items",
    "evaluation_get",
    "evaluation_lines",
    "evidence_activity_list",
    "evidence_get",
    "own_points",
    "results_compute",
    "submitted_best_actuals",
]
