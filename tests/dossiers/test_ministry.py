"""The Ministry's year table and the 20% count (dossiers.selectors.ministry)."""

import datetime

import pytest

from dossiers.models import AwardDecision, Dossier, Proposal
from dossiers.selectors.ministry import (
    GovernmentFlagCount,
    decision_facts_for,
    government_flag_cap,
    government_flag_count,
    ministry_year_table,
)
from members.models import Membership
from tests.factories import ClusterFactory, DepartmentFactory
from tests.helpers import (
    WORLD_YEAR,
    cluster_year_with,
    ministry_clusters,
    ministry_dossier,
)

Award = Proposal.Award
Decision = AwardDecision.Decision


def decide(proposal, decision, by, reference="123/QĐ-BNV", on=datetime.date(2025, 1, 20)):
    return AwardDecision.objects.create(
        proposal=proposal, decision=decision, reference=reference, decided_on=on, recorded_by=by
    )


def row_of(table, cluster_year):
    return next(row for row in table.rows if row.cluster_year == cluster_year)


# The cap as worked numbers


@pytest.mark.parametrize(
    ("leading_units", "cap"), [(11, 2), (10, 2), (9, 1), (5, 1), (4, 0), (15, 3), (0, 0)]
)
def test_the_cap_is_twenty_percent_of_the_leading_units_rounded_down(leading_units, cap):
    assert government_flag_cap(leading_units) == cap


def test_three_proposed_against_eleven_leading_units_are_over_the_cap_of_two():
    count = GovernmentFlagCount(leading_units=11, proposed=3, forwarded=2)
    assert count.cap == 2
    assert count.proposed_over_cap
    assert not count.forwarded_over_cap
    assert count.places_left == 0


def test_eleven_clusters_three_proposing_the_government_flag_count_as_over_the_cap(db, world):
    years = ministry_clusters(3)  # each proposes its leader for the Government's flag
    for _ in range(8):  # eight more clusters, no dossier yet
        cluster_year_with(ClusterFactory(), WORLD_YEAR, leader=DepartmentFactory())
    # world.year_a and world.year_b are clusters of the year too: 13 in all.
    Membership.objects.filter(cluster_year__in=[world.year_a, world.year_b]).delete()
    world.year_a.delete()
    world.year_b.delete()
    table = ministry_year_table(year=WORLD_YEAR, user=world.reviewer)
    assert (table.count.leading_units, table.count.cap, table.count.proposed) == (11, 2, 3)
    assert table.count.proposed_over_cap
    assert government_flag_count(year=WORLD_YEAR) == table.count
    assert len(years) == 3


def test_only_sent_dossiers_count_toward_the_cap(world):
    ministry_dossier(world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"))
    ministry_dossier(
        world.year_b, (world.quangninh, Award.GOVERNMENT_FLAG, 1, "97", "100"), state="issued"
    )
    assert ministry_year_table(year=WORLD_YEAR, user=world.reviewer).count.proposed == 1
    assert government_flag_count(year=WORLD_YEAR).proposed == 1


def test_decisions_passing_a_flag_on_to_the_government_are_counted(world):
    dossier = ministry_dossier(
        world.year_a,
        (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"),
        (world.vinhphuc, Award.GOVERNMENT_FLAG, 2, "97", "75"),
    )
    hanoi, vinhphuc = dossier.proposals.order_by("rank")
    decide(hanoi, Decision.GOVERNMENT_FLAG_PROPOSED, world.reviewer)
    decide(vinhphuc, Decision.MINISTRY_FLAG, world.reviewer)
    count = ministry_year_table(year=WORLD_YEAR, user=world.reviewer).count
    assert (count.proposed, count.forwarded) == (2, 1)
    assert government_flag_count(year=WORLD_YEAR) == count


# The year table


def test_the_table_lists_each_proposal_with_rank_total_share_and_the_dossier_state(world):
    ministry_dossier(
        world.year_a,
        (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98.5", "100"),
        (world.haiphong, Award.MINISTRY_FLAG, 2, "95.25", "75"),
    )
    table = ministry_year_table(year=WORLD_YEAR, user=world.reviewer)
    row = next(r for r in table.rows if r.cluster_year == world.year_a)
    assert row.dossier.state == Dossier.State.SENT
    assert [
        (p.membership.department_id, p.award, p.rank, str(p.total), str(p.vote_share))
        for p in row.proposals
    ] == [
        (world.hanoi.pk, Award.GOVERNMENT_FLAG, 1, "98.50", "100.00"),
        (world.haiphong.pk, Award.MINISTRY_FLAG, 2, "95.25", "75.00"),
    ]


def test_a_cluster_without_a_dossier_is_listed_without_one(world):
    ministry_dossier(world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"))
    table = ministry_year_table(year=WORLD_YEAR, user=world.reviewer)
    assert len(table.rows) == 2
    assert row_of(table, world.year_a).dossier is not None
    assert row_of(table, world.year_b).dossier is None
    assert row_of(table, world.year_b).proposals == []


def test_a_draft_dossier_shows_its_state_but_not_its_proposals_to_a_reviewer(world):
    ministry_dossier(
        world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"), state="draft"
    )
    row = row_of(ministry_year_table(year=WORLD_YEAR, user=world.reviewer), world.year_a)
    assert row.dossier.state == Dossier.State.DRAFT
    assert not row.contents_visible
    assert row.proposals == []


def test_the_newest_version_of_a_returned_dossier_is_the_one_shown(world):
    first = ministry_dossier(
        world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"), state="returned"
    )
    ministry_dossier(
        world.year_a,
        (world.hanoi, Award.MINISTRY_FLAG, 1, "98", "100"),
        version=2,
        previous=first,
    )
    row = row_of(ministry_year_table(year=WORLD_YEAR, user=world.reviewer), world.year_a)
    assert row.dossier.version == 2
    assert [p.award for p in row.proposals] == [Award.MINISTRY_FLAG]


def test_each_proposal_carries_the_councils_decision(world):
    dossier = ministry_dossier(world.year_a, (world.hanoi, Award.MINISTRY_FLAG, 1, "98", "100"))
    decide(dossier.proposals.get(), Decision.MINISTRY_FLAG, world.reviewer)
    table = ministry_year_table(year=WORLD_YEAR, user=world.reviewer)
    proposal = row_of(table, world.year_a).proposals[0]
    assert proposal.decision_or_none.decision == Decision.MINISTRY_FLAG


def test_the_leading_unit_is_the_first_of_the_published_results(world):
    from evaluations.models import Evaluation, Result
    from tests.helpers import evaluation_for

    evaluation = evaluation_for(world.year_a)
    Evaluation.objects.filter(pk=evaluation.pk).update(phase=Evaluation.Phase.PUBLISHED)
    for rank, dept in enumerate([world.vinhphuc, world.hanoi], start=1):
        Result.objects.create(
            evaluation=evaluation,
            membership=world.year_a.memberships.get(department=dept),
            base_points=90,
            bonus=0,
            penalty=0,
            total=100 - rank,
            rank=rank,
        )
    table = ministry_year_table(year=WORLD_YEAR, user=world.reviewer)
    assert row_of(table, world.year_a).leading_units == [world.vinhphuc.short_name]
    assert row_of(table, world.year_b).leading_units == []


@pytest.mark.parametrize("role", ["secretariat", "signatory", "outsider"])
def test_members_get_an_empty_table(world, role):
    ministry_dossier(world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"))
    assert ministry_year_table(year=WORLD_YEAR, user=world.user(role)).rows == []


def test_a_site_admin_sees_the_table(world):
    ministry_dossier(world.year_a, (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"))
    assert len(ministry_year_table(year=WORLD_YEAR, user=world.site_admin).rows) == 2


# The facts on the history pages


def test_the_history_facts_name_the_decision_its_number_and_date(world):
    dossier = ministry_dossier(world.year_a, (world.hanoi, Award.MINISTRY_FLAG, 1, "98", "100"))
    proposal = dossier.proposals.get()
    decide(proposal, Decision.MINISTRY_FLAG, world.reviewer)
    facts = decision_facts_for(user=world.staff, memberships=[proposal.membership])
    [fact] = facts[proposal.membership.pk]
    assert "123/QĐ-BNV" in fact.text and "20/01/2025" in fact.text
    assert str(Decision.MINISTRY_FLAG.label) in fact.text


def test_decisions_of_a_returned_dossier_are_not_history(world):
    dossier = ministry_dossier(world.year_a, (world.hanoi, Award.MINISTRY_FLAG, 1, "98", "100"))
    proposal = dossier.proposals.get()
    decide(proposal, Decision.MINISTRY_FLAG, world.reviewer)
    Dossier.objects.filter(pk=dossier.pk).update(state=Dossier.State.RETURNED, return_reason="x")
    assert decision_facts_for(user=world.staff, memberships=[proposal.membership]) == {}


def test_the_history_facts_link_to_the_table_for_reviewers_only(world):
    dossier = ministry_dossier(world.year_a, (world.hanoi, Award.MINISTRY_FLAG, 1, "98", "100"))
    proposal = dossier.proposals.get()
    decide(proposal, Decision.MINISTRY_FLAG, world.reviewer)
    membership = proposal.membership
    [for_reviewer] = decision_facts_for(user=world.reviewer, memberships=[membership])[
        membership.pk
    ]
    [for_member] = decision_facts_for(user=world.staff, memberships=[membership])[membership.pk]
    assert for_reviewer.url == f"/dossiers/ministry/{WORLD_YEAR}/"
    assert for_member.url == ""


def test_proposals_are_listed_highest_award_first(world):
    ministry_dossier(
        world.year_a,
        (world.haiphong, Award.MINISTER_MERIT, 3, "90", "75"),
        (world.vinhphuc, Award.MINISTRY_FLAG, 2, "95", "75"),
        (world.hanoi, Award.GOVERNMENT_FLAG, 1, "98", "100"),
    )
    row = row_of(ministry_year_table(year=WORLD_YEAR, user=world.reviewer), world.year_a)
    assert [p.award for p in row.proposals] == [
        Award.GOVERNMENT_FLAG,
        Award.MINISTRY_FLAG,
        Award.MINISTER_MERIT,
    ]
