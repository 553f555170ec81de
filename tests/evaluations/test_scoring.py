"""The arithmetic of the criteria table, with worked numbers (no database)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from evaluations import scoring
from evaluations.scoring import Line

GRADED = Line(id=1, code="I.1", kind="graded", parent_id=10, max_points=D("10"))
YES_NO = Line(id=2, code="I.2", kind="yes_no", parent_id=10, max_points=D("5"))
PER = Line(
    id=3,
    code="I.3",
    kind="per_occurrence",
    parent_id=10,
    max_points=D("5"),
    points_per_occurrence=D("1.5"),
)
QUANT = Line(
    id=4, code="I.4", kind="quantitative", parent_id=10, max_points=D("10"), target=D("100")
)
SECTION_I = Line(id=10, code="I", kind="section")
SECTION_II = Line(id=20, code="II", kind="section", cap=D("5"))
BONUS_1 = Line(id=21, code="II.1", kind="bonus", parent_id=20, max_points=D("3"))
BONUS_2 = Line(id=22, code="II.2", kind="bonus", parent_id=20, max_points=D("4"))
SECTION_III = Line(id=30, code="III", kind="section")
PENALTY = Line(id=31, code="III.1", kind="penalty", parent_id=30, max_points=D("5"))
TABLE = [SECTION_I, GRADED, YES_NO, PER, QUANT, SECTION_II, BONUS_1, BONUS_2, SECTION_III, PENALTY]


def codes(error):
    return {e.code for e in error.error_list}


def test_a_graded_score_on_the_step_is_taken():
    assert scoring.check_points(GRADED, D("7.25"), table_step=D("0.25")) == D("7.25")


@pytest.mark.parametrize(
    ("points", "code"),
    [(D("-0.25"), "below_zero"), (D("10.25"), "above_max"), (D("7.3"), "off_step")],
)
def test_a_graded_score_off_bounds_or_off_step_is_refused_with_its_own_code(points, code):
    with pytest.raises(ValidationError) as refused:
        scoring.check_points(GRADED, points, table_step=D("0.25"))
    assert codes(refused.value) == {code}


def test_a_line_of_its_own_step_ignores_the_tables_step():
    halves = Line(id=5, code="I.5", kind="graded", max_points=D("2"), step=D("0.5"))
    assert scoring.check_points(halves, D("1.5"), table_step=D("0.25")) == D("1.5")
    with pytest.raises(ValidationError) as refused:
        scoring.check_points(halves, D("1.25"), table_step=D("0.25"))
    assert codes(refused.value) == {"off_step"}


def test_a_yes_no_line_takes_the_maximum_or_zero_and_nothing_between():
    assert scoring.check_points(YES_NO, D("5"), table_step=D("0.25")) == D("5")
    assert scoring.check_points(YES_NO, D("0"), table_step=D("0.25")) == D("0")
    with pytest.raises(ValidationError) as refused:
        scoring.check_points(YES_NO, D("2.5"), table_step=D("0.25"))
    assert codes(refused.value) == {"not_yes_no"}


def test_per_occurrence_multiplies_and_caps_at_the_maximum():
    assert scoring.per_occurrence_points(PER, 2) == D("3.00")  # 1.5 × 2
    assert scoring.per_occurrence_points(PER, 4) == D("5.00")  # 6, capped at 5
    with pytest.raises(ValidationError):
        scoring.per_occurrence_points(PER, -1)


def test_quantitative_below_target_is_half_the_maximum_times_the_share_of_the_target():
    # 10 × 0.5 × 80 / 100 = 4
    assert scoring.quantitative_points(QUANT, D("80"), best=D("150")) == D("4.00")


def test_quantitative_at_target_is_half_the_maximum():
    assert scoring.quantitative_points(QUANT, D("100"), best=D("150")) == D("5.00")
    assert scoring.quantitative_points(QUANT, D("100"), best=D("100")) == D("5.00")


def test_quantitative_above_target_scales_to_the_maximum_for_the_best_unit():
    # 5 + (10 − 5) × (120 − 100) / (150 − 100) = 7
    assert scoring.quantitative_points(QUANT, D("120"), best=D("150")) == D("7.00")
    assert scoring.quantitative_points(QUANT, D("150"), best=D("150")) == D("10.00")


def test_the_best_actual_is_taken_over_every_unit():
    best = scoring.best_actuals(TABLE, [{4: D("120"), 1: D("9")}, {4: D("150")}, {4: None}])
    assert best == {4: D("150")}


def test_section_maxima_sum_the_children_and_respect_caps():
    maxima = scoring.section_maxima(TABLE)
    assert maxima[10] == D("30.00")
    assert maxima[20] == D("5.00")  # 3 + 4 = 7, capped at 5
    assert maxima[30] == D("5.00")


def test_totals_add_the_base_and_the_capped_bonus_and_subtract_penalties():
    result = scoring.totals(
        TABLE, {1: D("7.25"), 2: D("5"), 3: D("3"), 4: D("7"), 21: D("3"), 22: D("4"), 31: D("1.5")}
    )
    assert result.subtotals == {"I": D("22.25"), "II": D("5.00"), "III": D("1.50")}
    assert (result.base, result.bonus, result.penalty) == (D("22.25"), D("5.00"), D("1.50"))
    assert result.total == D("25.75")  # 22.25 + 5 − 1.5


def test_missing_lines_count_as_zero():
    assert scoring.totals(TABLE, {1: D("4")}).total == D("4.00")


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranks = scoring.competition_ranks(
        [("a", (D("90"),)), ("b", (D("95"),)), ("c", (D("90"),)), ("d", (D("80"),))]
    )
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_section_subtotals_break_ties_when_the_table_says_so():
    lines = [SECTION_I, GRADED, YES_NO, SECTION_II, BONUS_1]
    units = {"a": {1: D("8"), 2: D("0"), 21: D("2")}, "b": {1: D("5"), 2: D("5"), 21: D("0")}}
    shared = scoring.rank_units(lines, units)
    assert [(unit, rank) for unit, _t, rank, _c in shared] == [("a", 1), ("b", 1)]
    broken = scoring.rank_units(lines, units, tie_break_by_sections=True)
    # Both total 10; b has 10 in section I against a's 8.
    assert [(unit, rank) for unit, _t, rank, _c in broken] == [("b", 1), ("a", 2)]


def test_classification_takes_the_highest_threshold_reached():
    thresholds = [("Hoàn thành tốt", D("80")), ("Hoàn thành xuất sắc", D("95"))]
    assert scoring.classify(D("96"), thresholds) == "Hoàn thành xuất sắc"
    assert scoring.classify(D("95"), thresholds) == "Hoàn thành xuất sắc"
    assert scoring.classify(D("94.75"), thresholds) == "Hoàn thành tốt"
    assert scoring.classify(D("50"), thresholds) == ""


def test_a_sound_table_has_no_problems():
    assert scoring.table_problems(TABLE) == []


@pytest.fixture
def english():
    """The problems as written in the code (the pages show their Vietnamese translation)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_table_problems_name_the_codes(english):
    broken = [
        SECTION_I,
        Line(id=1, code="I.1", kind="graded", parent_id=10, max_points=None),
        Line(id=2, code="I.1", kind="graded", parent_id=10, max_points=D("1")),
        Line(id=3, code="I.3", kind="per_occurrence", parent_id=10, max_points=D("5")),
        Line(id=40, code="IV", kind="section"),
    ]
    problems = scoring.table_problems(broken)
    assert any("I.1" in p and "more than once" in p for p in problems)
    assert any("I.1" in p and "maximum" in p for p in problems)
    assert any("I.3" in p for p in problems)
    assert any("IV" in p for p in problems)


def test_a_section_mixing_bonus_and_other_lines_is_a_problem(english):
    mixed = [
        SECTION_I,
        GRADED,
        Line(id=9, code="I.9", kind="bonus", parent_id=10, max_points=D("2")),
    ]
    assert any("I" in p and "bonus" in p for p in scoring.table_problems(mixed))


def test_points_are_written_with_a_decimal_comma():
    assert scoring.points_text(D("7.5")) == "7,50"
    assert scoring.points_text(None) == ""
