"""The count committee's figures of a paper ballot (ballots.services.setup.paper_count_enter):
they must add up, and each way they do not is refused with the numbers named."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ballots.audit import BallotAction
from ballots.models import Ballot, Candidate, PaperCount
from ballots.services.setup import paper_count_enter
from cluster_portal.models import AuditEvent
from tests.helpers import ballot_setup_draft, ballot_setup_opened, codes, members_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted as written (English msgids); pages show their translation."""
    with translation.override("en"):
        yield


COMMITTEE = "Ông Nguyễn Văn An, Trưởng ban\nBà Trần Thị Bình, Thành viên"


@pytest.fixture
def year():
    """A cluster year of 12 members and its secretariat."""
    cluster_year, _departments, secretariat = members_year(12)
    return cluster_year, secretariat


@pytest.fixture
def paper(year):
    """An open paper ballot on three candidates, choose up to two (at least one)."""
    cluster_year, secretariat = year
    return ballot_setup_opened(
        cluster_year,
        secretariat,
        candidates=list(cluster_year.memberships.all()[:3]),
        method=Ballot.Method.PAPER,
        max_choices=2,
    )


def candidates(ballot):
    return list(Candidate.objects.filter(ballot=ballot).order_by("position"))


def enter(ballot, by, *, votes=(8, 6, 3), **figures):
    figures = {"issued": 11, "returned": 10, "valid": 9, "invalid": 1, **figures}
    return paper_count_enter(
        ballot=ballot,
        committee=figures.pop("committee", COMMITTEE),
        votes={c.pk: n for c, n in zip(candidates(ballot), votes, strict=False)},
        by=by,
        **figures,
    )


def refused(ballot, by, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        enter(ballot, by, **kwargs)
    assert not PaperCount.objects.exists()
    assert all(c.votes is None for c in candidates(ballot))
    return error.value


def test_figures_that_add_up_are_stored_with_the_votes(year, paper):
    _, secretariat = year
    count = enter(paper, secretariat)
    assert (count.issued, count.returned, count.valid, count.invalid) == (11, 10, 9, 1)
    assert count.committee == COMMITTEE
    assert count.entered_by == secretariat
    assert [c.votes for c in candidates(paper)] == [8, 6, 3]
    assert AuditEvent.objects.filter(action=BallotAction.PAPER_COUNT_ENTERED).count() == 1


def test_entering_again_corrects_the_figures(year, paper):
    _, secretariat = year
    enter(paper, secretariat)
    enter(paper, secretariat, votes=(9, 5, 2))
    assert PaperCount.objects.count() == 1
    assert [c.votes for c in candidates(paper)] == [9, 5, 2]


def test_a_closed_ballot_takes_its_count(year, paper):
    _, secretariat = year
    Ballot.objects.filter(pk=paper.pk).update(state=Ballot.State.CLOSED)
    paper.refresh_from_db()
    assert enter(paper, secretariat).valid == 9


def test_valid_and_invalid_that_do_not_make_the_returned_are_refused_with_the_numbers(year, paper):
    error = refused(paper, year[1], valid=9, invalid=2, returned=10)
    assert codes(error) == {"valid_invalid_mismatch"}
    assert "valid 9 + invalid 2 = 11, but 10 ballots returned" in error.messages[0]


def test_more_returned_than_issued_is_refused_with_the_numbers(year, paper):
    error = refused(paper, year[1], issued=9, returned=10)
    assert codes(error) == {"returned_above_issued"}
    assert "10 ballots returned, but only 9 issued" in error.messages[0]


def test_more_issued_than_members_is_refused_with_the_numbers(year, paper):
    error = refused(paper, year[1], issued=13)
    assert codes(error) == {"issued_above_members"}
    assert "13 ballots issued, but the cluster has only 12 members" in error.messages[0]


def test_a_candidate_with_more_votes_than_valid_ballots_is_refused_with_the_numbers(year, paper):
    error = refused(paper, year[1], votes=(10, 0, 0))
    assert codes(error) == {"votes_above_valid"}
    name = candidates(paper)[0].membership.short_name
    assert f"{name} has 10 votes, but only 9 ballots are valid" in error.messages[0]


def test_more_votes_than_the_valid_ballots_allow_is_refused_with_the_numbers(year, paper):
    error = refused(paper, year[1], votes=(9, 9, 1))
    assert codes(error) == {"votes_above_choices"}
    assert (
        "The votes add up to 19, but 9 valid ballots × 2 choices allow at most 18"
        in error.messages[0]
    )


def test_fewer_votes_than_the_valid_ballots_require_is_refused_with_the_numbers(year, paper):
    error = refused(paper, year[1], votes=(4, 3, 1))
    assert codes(error) == {"votes_below_choices"}
    assert "The votes add up to 8, but 9 valid ballots" in error.messages[0]


def test_a_candidate_left_without_votes_is_refused(year, paper):
    error = refused(paper, year[1], votes=(8, 6))
    assert codes(error) == {"votes_missing"}
    assert candidates(paper)[2].membership.short_name in error.messages[0]


def test_votes_for_a_department_that_is_not_a_candidate_are_refused(year, paper):
    with pytest.raises(ValidationError) as error:
        paper_count_enter(
            ballot=paper,
            committee=COMMITTEE,
            issued=11,
            returned=10,
            valid=9,
            invalid=1,
            votes={**{c.pk: 3 for c in candidates(paper)}, 999999: 1},
            by=year[1],
        )
    assert codes(error.value) == {"unknown_candidate"}


def test_negative_figures_are_refused(year, paper):
    error = refused(paper, year[1], votes=(-1, 6, 4))
    assert "negative" in codes(error)


def test_every_failure_is_named_at_once(year, paper):
    error = refused(paper, year[1], issued=9, returned=10, valid=9, invalid=2)
    assert codes(error) == {"returned_above_issued", "valid_invalid_mismatch"}


def test_the_committee_must_be_named(year, paper):
    error = refused(paper, year[1], committee="  \n ")
    assert codes(error) == {"committee_required"}


def test_an_electronic_ballot_takes_no_paper_count(year):
    cluster_year, secretariat = year
    ballot = ballot_setup_opened(cluster_year, secretariat)
    error = refused(ballot, secretariat)
    assert codes(error) == {"not_paper"}


def test_a_draft_paper_ballot_takes_no_count_yet(year):
    cluster_year, secretariat = year
    ballot = ballot_setup_draft(cluster_year, secretariat, method=Ballot.Method.PAPER)
    assert codes(refused(ballot, secretariat)) == {"not_open"}


def test_a_counted_ballot_takes_no_count(year, paper):
    Ballot.objects.filter(pk=paper.pk).update(state=Ballot.State.COUNTED, cast=10, valid=9)
    paper.refresh_from_db()
    assert codes(refused(paper, year[1])) == {"already_counted"}


def test_only_the_secretariat_enters_a_paper_count(year, paper):
    from tests.factories import UserFactory

    cluster_year, _ = year
    member_staff = UserFactory(department=cluster_year.memberships.all()[5].department)
    reviewer = UserFactory(reviewer=True)
    for user in (member_staff, reviewer):
        with pytest.raises(PermissionDenied):
            enter(paper, user)
    assert not PaperCount.objects.exists()
