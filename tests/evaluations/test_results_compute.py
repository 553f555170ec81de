"""Results computed from the stored scores: totals, ranks and the best unit."""

from decimal import Decimal as D

import pytest

from evaluations.selectors import results_compute
from tests.helpers import assessment_of, evaluation_for, score_lines

pytestmark = pytest.mark.django_db


def test_results_rank_members_by_their_totals_with_the_best_unit_rule(world):
    evaluation = evaluation_for(world.year_a)
    score_lines(assessment_of(evaluation, world.hanoi), I_1="10", I_4=("actual", "150"))
    score_lines(assessment_of(evaluation, world.haiphong), I_1="8", I_4=("actual", "120"))
    score_lines(assessment_of(evaluation, world.bacninh), I_1="8", I_3=("count", 4), III_1="2")
    rows = results_compute(evaluation=evaluation, final=False)
    by_code = {row.membership.department.code: row for row in rows}
    assert by_code["hanoi"].total == D("20.00")  # 10 + 10 (the best unit)
    assert by_code["haiphong"].total == D("15.00")  # 8 + 7
    assert by_code["bacninh"].total == D("10.00")  # 8 + 4 − 2
    assert [row.rank for row in rows] == [1, 2, 3, 4]
    assert rows[-1].total == D("0.00")  # Vĩnh Phúc entered nothing


def test_a_final_score_wins_over_the_own_score(world):
    evaluation = evaluation_for(world.year_a)
    assessment = score_lines(assessment_of(evaluation, world.hanoi), I_1="10")
    assessment.scores.filter(criterion__code="I.1").update(final_points=D("6"))
    rows = {r.membership.department.code: r for r in results_compute(evaluation=evaluation)}
    assert rows["hanoi"].total == D("6.00")
    own = {
        r.membership.department.code: r for r in results_compute(evaluation=evaluation, final=False)
    }
    assert own["hanoi"].total == D("10.00")


def test_results_cost_the_same_queries_whatever_the_number_of_members(
    world, django_assert_max_num_queries
):
    evaluation = evaluation_for(world.year_a)
    with django_assert_max_num_queries(4):
        results_compute(evaluation=evaluation)
