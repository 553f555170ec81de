"""The models of the year-end evaluation, one module per concept (re-exported here).

The evaluation of a cluster year: the criteria table, the members'
self-assessments with evidence, the checking of their scores and the published results.

Scores belong to a ``members.Membership`` (the department as it was named that year), so
a department merged away keeps its past scores under its name of that year. Points are
``Decimal`` with two places; bounds are database constraints as well as service checks
(a score row carries a copy of its criterion's maximum, which never changes once the table
is adopted). The arithmetic lives in ``evaluations.scoring`` (pure functions).
"""

from evaluations.models.assessments import (
    Adjustment,
    Assessment,
    EvaluationReminder,
    Evidence,
    Score,
    evidence_upload_to,
)
from evaluations.models.common import POINTS
from evaluations.models.evaluation import Evaluation
from evaluations.models.results import Result
from evaluations.models.table import Classification, Criterion

__all__ = [
    "POINTS",
    "Adjustment",
    "Assessment",
    "Classification",
    "Criterion",
    "Evaluation",
    "EvaluationReminder",
    "Evidence",
    "Result",
    "Score",
    "evidence_upload_to",
]
