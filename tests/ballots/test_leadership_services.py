"""Confirming the result of a leader or deputy election sets next year's leadership: the
next year is started from this year's members when missing, updated when it exists, and
the secretariat rights move with the leader. Every refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ballots.audit import BallotAction
from ballots.models import Ballot
from ballots.services.leadership import ballot_result_confirm
from cluster_portal.models import AuditEvent
from members import permissions as member_permissions
from members.models import ClusterYear
from tests.factories import UserFactory
from tests.helpers import WORLD_YEAR, cluster_year_with, codes, leadership_ballot

pytestmark = pytest.mark.django_db

NEXT = WORLD_YEAR + 1


def next_year(world) -> ClusterYear:
    return ClusterYear.objects.prefetch_related("memberships__department").get(
        cluster=world.cluster_a, year=NEXT
    )


def leadership_of(cluster_year) -> tuple:
    leader, deputy = cluster_year.leader, cluster_year.deputy
    return (
        leader.department.code if leader else None,
        deputy.department.code if deputy else None,
    )


def refused(ballot, by) -> set[str]:
    with pytest.raises(ValidationError) as error:
        ballot_result_confirm(ballot=ballot, by=by)
    return codes(error.value)


def test_confirming_the_leader_election_starts_next_year_with_this_years_members(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong, others=[world.bacninh])

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    year = next_year(world)
    assert sorted(m.department.code for m in year.memberships.all()) == [
        "bacninh",
        "haiphong",
        "hanoi",
        "vinhphuc",
    ]
    assert leadership_of(year) == ("haiphong", None)


def test_confirming_the_deputy_election_starts_next_year_with_the_elected_deputy(world):
    ballot = leadership_ballot(world.year_a, chosen=world.bacninh, kind=Ballot.Kind.DEPUTY)

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    assert leadership_of(next_year(world)) == (None, "bacninh")


def test_the_started_year_takes_this_years_theme_and_motto(world):
    ClusterYear.objects.filter(pk=world.year_a.pk).update(theme="Đổi mới", motto="Tăng tốc")
    world.year_a.refresh_from_db()
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    year = next_year(world)
    assert (year.theme, year.motto) == ("Đổi mới", "Tăng tốc")


def test_the_new_leaders_staff_manage_next_year_and_the_old_secretariat_no_longer_does(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    year = next_year(world)
    new_staff = UserFactory(department=world.haiphong)
    old_staff = UserFactory(department=world.hanoi)
    assert member_permissions.can_manage_cluster_year(new_staff, year)
    assert not member_permissions.can_manage_cluster_year(old_staff, year)


def test_confirming_updates_next_year_when_it_exists_and_keeps_its_deputy(world):
    existing = cluster_year_with(
        world.cluster_a,
        NEXT,
        leader=world.hanoi,
        deputy=world.bacninh,
        members=[world.haiphong, world.vinhphuc],
    )
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    returned = ballot_result_confirm(ballot=ballot, by=world.secretariat)

    assert returned.pk == existing.pk
    assert leadership_of(next_year(world)) == ("haiphong", "bacninh")
    assert next_year(world).memberships.count() == 4


def test_the_deputy_result_updates_next_year_and_keeps_its_leader(world):
    cluster_year_with(
        world.cluster_a, NEXT, leader=world.haiphong, members=[world.hanoi, world.bacninh]
    )
    ballot = leadership_ballot(world.year_a, chosen=world.bacninh, kind=Ballot.Kind.DEPUTY)

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    assert leadership_of(next_year(world)) == ("haiphong", "bacninh")


def test_this_years_secretariat_records_the_result_in_a_next_year_started_without_leader(world):
    cluster_year_with(world.cluster_a, NEXT, members=[world.hanoi, world.haiphong])
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    assert leadership_of(next_year(world)) == ("haiphong", None)


def test_the_confirmation_is_kept_on_the_ballot_and_in_the_audit_trail(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    ballot.refresh_from_db()
    assert ballot.result_confirmed_at is not None
    assert ballot.result_confirmed_by == world.secretariat
    event = AuditEvent.objects.get(action=BallotAction.RESULT_CONFIRMED)
    assert event.actor == world.secretariat
    assert event.details["department"] == "haiphong"
    assert event.details["year"] == NEXT


# Refusals: each with its code, nothing changed


def test_a_ballot_not_counted_yet_is_refused(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong, state=Ballot.State.CLOSED)

    assert refused(ballot, world.secretariat) == {"not_counted"}
    assert not ClusterYear.objects.filter(year=NEXT).exists()


def test_a_tie_is_refused_until_a_runoff_decides(world):
    ballot = leadership_ballot(
        world.year_a, chosen=None, others=[world.haiphong, world.bacninh], has_tie=True
    )

    assert refused(ballot, world.secretariat) == {"tie"}
    assert not ClusterYear.objects.filter(year=NEXT).exists()


def test_a_count_with_no_chosen_candidate_is_refused(world):
    ballot = leadership_ballot(world.year_a, chosen=None, others=[world.haiphong, world.bacninh])

    assert refused(ballot, world.secretariat) == {"none_chosen"}
    assert not ClusterYear.objects.filter(year=NEXT).exists()


def test_a_count_without_quorum_is_refused(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong, quorum_met=False)

    assert refused(ballot, world.secretariat) == {"no_quorum"}


def test_a_ballot_that_is_not_a_leadership_election_is_refused(world):
    ballot = leadership_ballot(
        world.year_a, chosen=world.haiphong, kind=Ballot.Kind.GOVERNMENT_FLAG
    )

    assert refused(ballot, world.secretariat) == {"not_leadership"}
    assert not ClusterYear.objects.filter(year=NEXT).exists()


def test_confirming_twice_is_refused_and_keeps_the_first_result(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    assert refused(ballot, world.secretariat) == {"already_confirmed"}
    assert leadership_of(next_year(world)) == ("haiphong", None)
    assert AuditEvent.objects.filter(action=BallotAction.RESULT_CONFIRMED).count() == 1


def test_a_chosen_department_that_is_not_a_member_of_the_existing_next_year_is_refused(world):
    cluster_year_with(world.cluster_a, NEXT, leader=world.hanoi, members=[world.bacninh])
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    assert refused(ballot, world.secretariat) == {"chosen_not_member"}
    assert leadership_of(next_year(world)) == ("hanoi", None)


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_secretariat_confirms(world, role):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    with pytest.raises(PermissionDenied):
        ballot_result_confirm(ballot=ballot, by=world.user(role))

    ballot.refresh_from_db()
    assert ballot.result_confirmed_at is None
    assert not ClusterYear.objects.filter(year=NEXT).exists()


def test_a_site_admin_confirms(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    ballot_result_confirm(ballot=ballot, by=world.site_admin)

    assert leadership_of(next_year(world)) == ("haiphong", None)
