"""Reads of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.selectors.common import (
    ResultRow,
    criterion_list,
    evaluation_get,
    evaluation_lines,
    results_compute,
)
from evaluations.selectors.table import (
    TableRow,
    TableSummary,
    assessment_for_department,
    assessments_visible,
    criterion_get,
    evaluation_year_links,
    previous_table_year,
    table_rows,
    table_sections,
    table_summary,
)

__all__ = [
    "ResultRow",
    "TableRow",
    "TableSummary",
    "assessment_for_department",
    "assessments_visible",
    "criterion_get",
    "criterion_list",
    "evaluation_get",
    "evaluation_lines",
    "evaluation_year_links",
    "previous_table_year",
    "results_compute",
    "table_rows",
    "table_sections",
    "table_summary",
]
