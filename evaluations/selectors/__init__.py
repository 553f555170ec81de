"""Reads of the year-end evaluation, one module per concept (re-exported here)."""

from evaluations.selectors.attention import evaluation_attention_items
from evaluations.selectors.common import (
    ResultRow,
    criterion_list,
    evaluation_get,
    evaluation_lines,
    results_compute,
)

__all__ = [
    "ResultRow",
    "criterion_list",
    "evaluation_attention_items",
    "evaluation_get",
    "evaluation_lines",
    "results_compute",
]
