"""Reads of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.selectors.common import (
    ResultRow,
    criterion_list,
    evaluation_get,
    evaluation_lines,
    results_compute,
)
from evaluations.selectors.results import (
    ResultColumn,
    ResultTable,
    evaluation_for_results,
    result_facts_for,
    result_table,
)

__all__ = [
    "ResultColumn",
    "ResultRow",
    "ResultTable",
    "criterion_list",
    "evaluation_for_results",
    "evaluation_get",
    "evaluation_lines",
    "result_facts_for",
    "result_table",
    "results_compute",
]
