"""Services of the criteria table: lines, order, classifications, settings, copy, adoption;
each refusal with its own code, and nothing changes once the table is adopted."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cluster_portal.models import AuditEvent
from evaluations import services
from evaluations.audit import EvaluationAction
from evaluations.models import Classification, Criterion, Evaluation
from tests.helpers import (
    ROLES,
    SMALL_TABLE,
    cluster_year_with,
    codes,
    evaluation_for,
    line_fields,
    table_snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    return evaluation_for(world.year_a, adopted=False)


def line(evaluation, code) -> Criterion:
    return evaluation.criteria.get(code=code)


def order(evaluation) -> list[str]:
    return [row[1] for row in table_snapshot(evaluation)]


# Adding, changing, deleting and moving lines


def test_a_line_added_to_a_section_goes_last_in_that_section(world, draft):
    services.criterion_create(
        evaluation=draft, parent=line(draft, "I"), code="I.5", by=world.secretariat, **line_fields()
    )
    assert order(draft)[:7] == ["I", "I.1", "I.2", "I.3", "I.4", "I.5", "II"]


def test_adding_a_line_records_a_table_edit_in_the_audit_trail(world, draft):
    services.criterion_create(
        evaluation=draft, parent=line(draft, "I"), code="I.5", by=world.secretariat, **line_fields()
    )
    event = AuditEvent.objects.filter(action=EvaluationAction.TABLE_EDITED).get()
    assert event.details == {"operation": "line_added", "code": "I.5"}


def test_a_line_with_a_code_already_used_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="I.1",
            by=world.secretariat,
            **line_fields(),
        )
    assert codes(error.value) == {"duplicate_code"}


def test_a_code_that_does_not_follow_its_section_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="II.9",
            by=world.secretariat,
            **line_fields(),
        )
    assert codes(error.value) == {"code_not_under_parent"}


def test_a_line_under_a_criterion_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I.1"),
            code="I.1.a",
            by=world.secretariat,
            **line_fields(),
        )
    assert "parent_not_section" in codes(error.value)


def test_a_criterion_without_a_maximum_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="I.5",
            by=world.secretariat,
            **line_fields(max_points=None),
        )
    assert codes(error.value) == {"max_required"}


def test_a_per_occurrence_line_without_its_points_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="I.5",
            by=world.secretariat,
            **line_fields(kind="per_occurrence"),
        )
    assert codes(error.value) == {"points_per_occurrence_required"}


def test_a_quantitative_line_without_a_target_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="I.5",
            by=world.secretariat,
            **line_fields(kind="quantitative"),
        )
    assert codes(error.value) == {"target_required"}


def test_a_refused_line_stores_nothing(world, draft):
    before = table_snapshot(draft)
    with pytest.raises(ValidationError):
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="I.1",
            by=world.secretariat,
            **line_fields(),
        )
    assert table_snapshot(draft) == before


def test_a_section_keeps_no_maximum_of_its_own(world, draft):
    section = services.criterion_create(
        evaluation=draft,
        parent=None,
        code="IV",
        by=world.secretariat,
        **line_fields(kind="section", max_points=Decimal("20")),
    )
    assert section.max_points is None


def test_changing_a_line_saves_its_fields(world, draft):
    services.criterion_update(
        criterion=line(draft, "I.1"),
        parent=line(draft, "I"),
        code="I.1",
        by=world.secretariat,
        **line_fields(text="Tham mưu tổ chức bộ máy", max_points=Decimal("12"), guidance="Nêu rõ"),
    )
    changed = line(draft, "I.1")
    assert (changed.text, changed.max_points, changed.guidance) == (
        "Tham mưu tổ chức bộ máy",
        Decimal("12.00"),
        "Nêu rõ",
    )


def test_moving_a_line_to_another_section_puts_it_last_there(world, draft):
    services.criterion_update(
        criterion=line(draft, "I.1"),
        parent=line(draft, "III"),
        code="III.2",
        by=world.secretariat,
        **line_fields(kind="penalty", max_points=Decimal("2")),
    )
    assert order(draft)[-2:] == ["III.1", "III.2"]


def test_a_section_cannot_be_put_inside_itself(world, draft):
    services.criterion_create(
        evaluation=draft,
        parent=line(draft, "I"),
        code="I.9",
        by=world.secretariat,
        **line_fields(kind="section"),
    )
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            criterion=line(draft, "I"),
            parent=line(draft, "I.9"),
            code="I.9.I",
            by=world.secretariat,
            **line_fields(kind="section"),
        )
    assert "parent_cycle" in codes(error.value)


def test_a_section_with_lines_stays_a_section(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            criterion=line(draft, "II"),
            parent=None,
            code="II",
            by=world.secretariat,
            **line_fields(kind="bonus"),
        )
    assert "section_has_lines" in codes(error.value)


def test_deleting_a_criterion_removes_it_and_closes_the_gap(world, draft):
    services.criterion_delete(criterion=line(draft, "I.2"), by=world.secretariat)
    snapshot = table_snapshot(draft)
    assert [row[1] for row in snapshot][:4] == ["I", "I.1", "I.3", "I.4"]
    assert [row[0] for row in snapshot] == list(range(1, len(SMALL_TABLE)))


def test_deleting_a_section_with_lines_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_delete(criterion=line(draft, "II"), by=world.secretariat)
    assert codes(error.value) == {"section_not_empty"}


def test_moving_a_line_up_swaps_it_with_the_one_before(world, draft):
    services.criterion_move(criterion=line(draft, "I.3"), up=True, by=world.secretariat)
    assert order(draft)[:5] == ["I", "I.1", "I.3", "I.2", "I.4"]


def test_moving_a_section_down_takes_its_lines_with_it(world, draft):
    services.criterion_move(criterion=line(draft, "I"), up=False, by=world.secretariat)
    assert order(draft) == [
        "II",
        "II.1",
        "II.2",
        "I",
        "I.1",
        "I.2",
        "I.3",
        "I.4",
        "III",
        "III.1",
    ]


def test_the_first_line_of_a_section_cannot_move_up(world, draft):
    with pytest.raises(ValidationError) as error:
        services.criterion_move(criterion=line(draft, "I.1"), up=True, by=world.secretariat)
    assert codes(error.value) == {"cannot_move"}


# Classifications and settings


def test_a_classification_is_added_with_its_threshold(world, draft):
    services.classification_create(
        evaluation=draft, label="Hoàn thành xuất sắc", min_total=Decimal("95"), by=world.secretariat
    )
    assert list(draft.classifications.values_list("label", "min_total")) == [
        ("Hoàn thành xuất sắc", Decimal("95.00"))
    ]


def test_two_classifications_from_the_same_total_are_refused(world, draft):
    services.classification_create(
        evaluation=draft, label="Xuất sắc", min_total=Decimal("95"), by=world.secretariat
    )
    with pytest.raises(ValidationError) as error:
        services.classification_create(
            evaluation=draft, label="Tốt", min_total=Decimal("95"), by=world.secretariat
        )
    assert codes(error.value) == {"duplicate_threshold"}


def test_a_classification_is_removed(world, draft):
    classification = services.classification_create(
        evaluation=draft, label="Tốt", min_total=Decimal("80"), by=world.secretariat
    )
    services.classification_delete(classification=classification, by=world.secretariat)
    assert not Classification.objects.exists()


def test_the_settings_of_the_table_are_saved(world, draft):
    services.table_settings_update(
        evaluation=draft, step=Decimal("0.5"), tie_break="sections", by=world.secretariat
    )
    draft.refresh_from_db()
    assert (draft.step, draft.tie_break) == (Decimal("0.50"), "sections")


def test_a_step_of_zero_is_refused(world, draft):
    with pytest.raises(ValidationError) as error:
        services.table_settings_update(
            evaluation=draft, step=Decimal("0"), tie_break="none", by=world.secretariat
        )
    assert codes(error.value) == {"step_not_positive"}


# Copying last year's table


@pytest.fixture
def last_year(world):
    """Cluster A's previous year, with its adopted table, classifications and settings."""
    previous = cluster_year_with(
        world.cluster_a, world.year_a.year - 1, leader=world.hanoi, members=[world.haiphong]
    )
    evaluation = evaluation_for(
        previous,
        phase=Evaluation.Phase.PUBLISHED,
        step=Decimal("0.5"),
        tie_break="sections",
    )
    Classification.objects.create(evaluation=evaluation, label="Xuất sắc", min_total=95)
    return evaluation


@pytest.fixture
def empty_draft(world):
    return evaluation_for(world.year_a, table=[], adopted=False)


def test_copying_takes_last_years_lines_classifications_and_settings(world, last_year, empty_draft):
    services.table_copy_previous(evaluation=empty_draft, by=world.secretariat)
    empty_draft.refresh_from_db()
    assert (
        table_snapshot(empty_draft),
        list(empty_draft.classifications.values_list("label", "min_total")),
        empty_draft.step,
        empty_draft.tie_break,
    ) == (
        table_snapshot(last_year),
        [("Xuất sắc", Decimal("95.00"))],
        Decimal("0.50"),
        "sections",
    )


def test_copying_is_recorded_with_the_year_copied_from(world, last_year, empty_draft):
    services.table_copy_previous(evaluation=empty_draft, by=world.secretariat)
    event = AuditEvent.objects.filter(action=EvaluationAction.TABLE_COPIED).get()
    assert event.details["from_year"] == last_year.cluster_year.year


def test_copying_over_lines_already_there_needs_confirmation(world, last_year, draft):
    with pytest.raises(ValidationError) as error:
        services.table_copy_previous(evaluation=draft, by=world.secretariat)
    assert codes(error.value) == {"table_not_empty"}


def test_copying_with_confirmation_replaces_the_lines(world, last_year, draft):
    services.criterion_create(
        evaluation=draft, parent=line(draft, "I"), code="I.5", by=world.secretariat, **line_fields()
    )
    services.table_copy_previous(evaluation=draft, by=world.secretariat, replace=True)
    assert order(draft) == order(last_year)


def test_copying_without_a_previous_table_is_refused(world, empty_draft):
    with pytest.raises(ValidationError) as error:
        services.table_copy_previous(evaluation=empty_draft, by=world.secretariat)
    assert codes(error.value) == {"no_previous_table"}


# Adoption


def test_adopting_freezes_the_table(world, draft):
    services.table_adopt(evaluation=draft, by=world.secretariat)
    draft.refresh_from_db()
    assert (draft.table_is_frozen, draft.table_adopted_by) == (True, world.secretariat)


def test_adopting_is_recorded_with_the_section_maxima(world, draft):
    services.table_adopt(evaluation=draft, by=world.secretariat)
    event = AuditEvent.objects.filter(action=EvaluationAction.TABLE_ADOPTED).get()
    assert event.details["sections"] == {"I": "30.00", "II": "5.00", "III": "5.00"}


def test_an_empty_table_cannot_be_adopted(world, empty_draft):
    with pytest.raises(ValidationError) as error:
        services.table_adopt(evaluation=empty_draft, by=world.secretariat)
    assert codes(error.value) == {"table_empty"}


def test_a_table_with_problems_is_not_adopted_and_the_problems_are_named(world, draft):
    services.criterion_create(
        evaluation=draft,
        parent=None,
        code="IV",
        by=world.secretariat,
        **line_fields(kind="section"),
    )
    with pytest.raises(ValidationError) as error:
        services.table_adopt(evaluation=draft, by=world.secretariat)
    assert (codes(error.value), error.value.messages) == (
        {"table_problems"},
        ["Mục IV chưa có tiêu chí nào."],
    )
    draft.refresh_from_db()
    assert draft.table_adopted_at is None


ADOPTED_EDITS = {
    "create": lambda ev, by: services.criterion_create(
        evaluation=ev, parent=None, code="IV", by=by, **line_fields(kind="section")
    ),
    "update": lambda ev, by: services.criterion_update(
        criterion=ev.criteria.get(code="I.1"),
        parent=ev.criteria.get(code="I"),
        code="I.1",
        by=by,
        **line_fields(),
    ),
    "delete": lambda ev, by: services.criterion_delete(
        criterion=ev.criteria.get(code="I.2"), by=by
    ),
    "move": lambda ev, by: services.criterion_move(
        criterion=ev.criteria.get(code="I.2"), up=True, by=by
    ),
    "classification": lambda ev, by: services.classification_create(
        evaluation=ev, label="Tốt", min_total=Decimal("80"), by=by
    ),
    "settings": lambda ev, by: services.table_settings_update(
        evaluation=ev, step=Decimal("0.5"), tie_break="none", by=by
    ),
    "copy": lambda ev, by: services.table_copy_previous(evaluation=ev, by=by, replace=True),
    "adopt": lambda ev, by: services.table_adopt(evaluation=ev, by=by),
}


@pytest.mark.parametrize("edit", ADOPTED_EDITS)
def test_every_table_edit_is_refused_once_the_table_is_adopted(world, edit):
    evaluation = evaluation_for(world.year_a, phase=Evaluation.Phase.DRAFT)
    before = table_snapshot(evaluation)
    with pytest.raises(ValidationError) as error:
        ADOPTED_EDITS[edit](evaluation, world.secretariat)
    assert (codes(error.value), table_snapshot(evaluation)) == ({"table_adopted"}, before)


@pytest.mark.parametrize(
    "role", [r for r in [*ROLES, "anonymous"] if r not in ("secretariat", "site_admin")]
)
def test_only_the_secretariat_edits_the_table(world, draft, role):
    with pytest.raises(PermissionDenied):
        services.criterion_create(
            evaluation=draft,
            parent=line(draft, "I"),
            code="I.5",
            by=world.user(role),
            **line_fields(),
        )


def test_a_site_admin_may_edit_the_table(world, draft):
    services.criterion_create(
        evaluation=draft, parent=line(draft, "I"), code="I.5", by=world.site_admin, **line_fields()
    )
    assert "I.5" in order(draft)
