"""Query-count guards of the results pages: the same cost for 7 and for 60 members."""

import pytest

from tests.helpers import (
    assert_same_count,
    evaluation_for,
    queries_for,
    results_published,
    results_url,
    score_lines,
)
from tests.members.test_queries import cluster_of

pytestmark = pytest.mark.django_db


def evaluation_of(*, members: int, publish: bool):
    """A cluster of ``members`` members with its evaluation, every member scored (checking
    phase), published if ``publish``; and its secretariat user."""
    cluster, _departments, user = cluster_of(members=members)
    evaluation = evaluation_for(cluster.years.get(), phase="checking")
    for n, assessment in enumerate(evaluation.assessments.all()):
        score_lines(assessment, I_1=str(n % 11), I_4=("actual", str(50 + n)), II_1="1")
    if publish:
        results_published(evaluation)
    return evaluation, user


@pytest.mark.parametrize("publish", [True, False], ids=["published", "provisional"])
@pytest.mark.parametrize("page", ["results-detail", "results-csv", "results-xlsx", "results-pdf"])
def test_the_results_cost_the_same_with_7_and_60_members(client, publish, page):
    small_evaluation, small_user = evaluation_of(members=7, publish=publish)
    small = queries_for(client, small_user, results_url(small_evaluation, page))
    large_evaluation, large_user = evaluation_of(members=60, publish=publish)
    large = queries_for(client, large_user, results_url(large_evaluation, page))
    assert_same_count(small, large)


def test_the_published_page_reads_the_stored_results_without_the_scores(client):
    evaluation, user = evaluation_of(members=7, publish=True)
    sql = " ".join(queries_for(client, user, results_url(evaluation)))
    assert "evaluations_result" in sql
    assert "evaluations_score" not in sql
