"""The demo data of the ballots: the 2019 closing conference's paper ballots, counted from
the published ranking with totals that add up, and the 2026 election of the 2027 leader,
open to the members present; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from ballots import demo
from ballots.models import Ballot, BallotPaper, BallotVoter, Candidate, PaperCount, VoteRecord
from ballots.permissions import can_manage_ballot, can_view_ballot, is_voting_signatory
from evaluations.models import Result
from members.models import ClusterYear, User
from plans.models import Attendee

pytestmark = pytest.mark.django_db

BALLOT_MODELS = (Ballot, Candidate, PaperCount, BallotVoter, BallotPaper, VoteRecord, Attendee)


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in BALLOT_MODELS]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """``load_demo`` once for the module, then the ballots' demo a second time; rolled back
    at the end. Returns the two snapshots."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        call_command("load_demo", force=True, stdout=io.StringIO())
        first = snapshot()
        demo.load()
        yield first, snapshot()
        transaction.set_rollback(True)


def ballots_of(year: int):
    return Ballot.objects.filter(cluster_year__cluster__code="bac-bo", cluster_year__year=year)


def ballot_2027() -> Ballot:
    return ballots_of(2026).select_related("cluster_year", "conference").get(kind="leader")


def test_loading_the_demo_twice_changes_nothing(loaded):
    first, second = loaded
    assert first == second
    assert first[0]  # there are ballots to compare


def test_the_2026_leader_ballot_for_2027_is_open_and_electronic(loaded):
    ballot = ballot_2027()
    assert ballot.state == Ballot.State.OPEN and ballot.opened_at is not None
    assert ballot.method == Ballot.Method.ELECTRONIC
    assert "2027" in ballot.question
    assert ballot.conference.kind == "closing_conference"
    assert ballot.is_illustrative
    assert ballot.candidates.count() >= 2
    assert not ballot.voters.exists() and not ballot.papers.exists()


@pytest.mark.parametrize("username", ["hungyen.signer", "phutho.signer"])
def test_the_hungyen_and_phutho_signatories_may_vote_on_the_2027_leader(loaded, username):
    ballot = ballot_2027()
    user = User.objects.get(username=username)
    attending = set(
        ballot.conference.attendees.filter(kind=Attendee.Kind.MEMBER).values_list(
            "department_id", flat=True
        )
    )
    assert is_voting_signatory(user, ballot)
    assert user.department_id in attending


def test_phu_tho_is_a_2026_member_after_the_2025_merger(loaded):
    year = ClusterYear.objects.get(cluster__code="bac-bo", year=2026)
    assert year.memberships.filter(department__code="phutho").exists()


def test_the_secretariat_runs_the_2026_ballot_and_the_reviewer_only_reads_it(loaded):
    ballot = ballot_2027()
    assert can_manage_ballot(User.objects.get(username="secretariat"), ballot)
    reviewer = User.objects.get(username="reviewer")
    assert can_view_ballot(reviewer, ballot) and not can_manage_ballot(reviewer, ballot)


def test_the_2019_closing_conference_has_four_counted_paper_ballots_in_december_2019(loaded):
    ballots = list(ballots_of(2019).select_related("conference"))
    assert sorted(b.kind for b in ballots) == sorted(
        ["government_flag", "minister_merit", "leader", "deputy"]
    )
    for ballot in ballots:
        assert ballot.method == Ballot.Method.PAPER
        assert ballot.state == Ballot.State.COUNTED
        assert ballot.is_illustrative
        assert (ballot.conference.starts_on.year, ballot.conference.starts_on.month) == (2019, 12)
        assert (ballot.counted_at.year, ballot.counted_at.month) == (2019, 12)


def test_the_2019_paper_counts_add_up(loaded):
    for ballot in ballots_of(2019).select_related("paper_count"):
        count = ballot.paper_count
        votes = [c.votes for c in ballot.candidates.all()]
        assert count.returned <= count.issued <= ballot.eligible
        assert count.valid + count.invalid == count.returned
        assert (ballot.issued, ballot.cast, ballot.valid, ballot.invalid) == (
            count.issued,
            count.returned,
            count.valid,
            count.invalid,
        )
        assert all(v <= count.valid for v in votes)
        assert sum(votes) <= count.valid * ballot.max_choices
        if ballot.max_choices == 1:
            assert sum(votes) == count.valid


def test_the_2019_shares_and_choices_follow_the_charters_threshold(loaded):
    for ballot in ballots_of(2019):
        assert ballot.threshold_base == Ballot.ThresholdBase.MEMBERS
        for candidate in ballot.candidates.all():
            share = round(candidate.votes * 100 / ballot.eligible, 2)
            assert float(candidate.share) == pytest.approx(share)
            assert candidate.reached_threshold == (candidate.share > ballot.threshold_percent)
        chosen = [c for c in ballot.candidates.all() if c.chosen]
        assert 1 <= len(chosen) <= ballot.max_choices
        assert all(c.reached_threshold for c in chosen)


def test_the_2019_award_candidates_carry_their_published_rank_and_total(loaded):
    published = {
        r.membership_id: (r.rank, r.total)
        for r in Result.objects.filter(evaluation__cluster_year__year=2019)
    }
    flag = ballots_of(2019).get(kind="government_flag")
    assert [c.rank for c in flag.candidates.all()] == [1, 2, 3]
    for ballot in ballots_of(2019).filter(kind__in=Ballot.AWARD_KINDS):
        for candidate in ballot.candidates.all():
            assert (candidate.rank, candidate.total) == published[candidate.membership_id]


def test_the_2019_leadership_results_are_left_unconfirmed_so_no_2020_year_is_invented(loaded):
    leadership = ballots_of(2019).filter(kind__in=Ballot.LEADERSHIP_KINDS)
    assert leadership.count() == 2
    assert not leadership.filter(result_confirmed_at__isnull=False).exists()
    assert not ClusterYear.objects.filter(cluster__code="bac-bo", year=2020).exists()


def test_every_2019_member_attends_the_closing_conference(loaded):
    ballot = ballots_of(2019).select_related("conference").first()
    attending = ballot.conference.attendees.filter(kind=Attendee.Kind.MEMBER).count()
    assert attending == 11 == ballot.present


def test_the_counted_demo_ballots_have_their_numbered_vote_records_of_2019(loaded):
    records = VoteRecord.objects.filter(ballot__in=ballots_of(2019)).order_by("number")
    assert records.count() == 4
    assert [r.number for r in records] == ["01/BB-CTĐ", "02/BB-CTĐ", "03/BB-CTĐ", "04/BB-CTĐ"]
    assert {r.issued_at.year for r in records} == {2019}


def test_the_demo_dossier_encloses_the_vote_records(loaded):
    from dossiers.models import DossierDocument

    enclosed = DossierDocument.objects.filter(
        dossier__cluster_year__year=2019, kind=DossierDocument.Kind.VOTE_RECORD
    )
    assert sorted(enclosed.values_list("number", flat=True)) == sorted(
        VoteRecord.objects.filter(ballot__in=ballots_of(2019)).values_list("number", flat=True)
    )
