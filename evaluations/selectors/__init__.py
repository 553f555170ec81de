"""Reads of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.selectors.assessments import (
    AssessmentSheet,
    SheetRow,
    assessment_get,
    assessment_sheet,
    evidence_activity_list,
    evidence_get,
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
    "ResultRow",
    "SheetRow",
    "assessment_get",
    "assessment_sheet",
    "criterion_list",
    "evaluation_get",
    "evaluation_lines",
    "evidence_activity_list",
    "evidence_get",
    "results_compute",
]
