"""Pages of ballot setup: who may open and post each (a test per role), what they show and
what posting them does."""

import datetime
from decimal import Decimal as D

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from ballots.models import Ballot, BallotVoter, PaperCount
from tests.factories import CharterVersionFactory
from tests.helpers import ROLES, ballot_setup_conference, ballot_setup_draft, ballot_setup_opened

pytestmark = pytest.mark.django_db

ALL_ROLES = [*ROLES, "anonymous"]

# Who reads: the year's members, the secretariat, reviewers and admins; 404 for others.
READ = {
    "secretariat": 200,
    "signatory": 200,
    "staff": 200,
    "outsider": 404,
    "reviewer": 200,
    "site_admin": 200,
    "anonymous": 302,
}
# Who prepares: the secretariat and admins; 403 for those who see it, 404 for others.
MANAGE = {**READ, "signatory": 403, "staff": 403, "reviewer": 403}
# A successful post redirects (anonymous visitors are redirected to log in, and write nothing).
POSTED = {**MANAGE, "secretariat": 302, "site_admin": 302}
WRITERS = {"secretariat", "site_admin"}


def shown(message: str, **params) -> str:
    """``message`` (a msgid) with ``params`` as the Vietnamese page shows it."""
    with translation.override("vi"):
        return escape(
            translation.gettext(message) % params if params else translation.gettext(message)
        )


def status_of(client, world, role, url, method="get", data=None):
    if role != "anonymous":
        client.force_login(world.user(role))
    return getattr(client, method)(url, data or {}).status_code


def year_url(world, name):
    return reverse(f"ballots:{name}", kwargs={"code": "bac-bo", "year": world.year_a.year})


def ballot_url(ballot, name):
    return reverse(f"ballots:{name}", kwargs={"pk": ballot.pk})


@pytest.fixture
def draft(world):
    return ballot_setup_draft(world.year_a, world.secretariat)


@pytest.fixture
def paper(world):
    return ballot_setup_opened(world.year_a, world.secretariat, method=Ballot.Method.PAPER)


def ballot_data(world, conference=None, **overrides):
    data = {
        "kind": "leader",
        "question": "Bầu Cụm trưởng năm 2025",
        "candidates": [m.pk for m in world.year_a.memberships.all()[:2]],
        "min_choices": "1",
        "max_choices": "1",
        "method": "electronic",
        "quorum_percent": "50",
        "threshold_percent": "50",
        "threshold_base": "members",
        "blank_policy": "refuse",
    }
    if conference is not None:
        data["conference"] = conference.pk
    data.update(overrides)
    return data


def paper_data(ballot, **overrides):
    data = {
        "committee": "Ông Nguyễn Văn An, Trưởng ban",
        "issued": "4",
        "returned": "4",
        "valid": "3",
        "invalid": "1",
    }
    for n, candidate in enumerate(ballot.candidates.all()):
        data[f"votes_{candidate.pk}"] = str(2 if n == 0 else 1 if n == 1 else 0)
    data.update(overrides)
    return data


# Who may open and post what


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_the_years_ballots(client, world, draft, role):
    assert status_of(client, world, role, year_url(world, "ballot-list")) == READ[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_a_ballot(client, world, draft, role):
    assert status_of(client, world, role, ballot_url(draft, "ballot-detail")) == READ[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_opens_the_new_ballot_page(client, world, role):
    ballot_setup_conference(world.year_a)
    assert status_of(client, world, role, year_url(world, "ballot-create")) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", ["ballot-edit", "ballot-open"])
def test_who_opens_the_pages_of_a_draft(client, world, draft, page, role):
    assert status_of(client, world, role, ballot_url(draft, page)) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_opens_the_paper_count_page(client, world, paper, role):
    assert status_of(client, world, role, ballot_url(paper, "ballot-paper-count")) == MANAGE[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_prepares_a_ballot(client, world, role):
    conference = ballot_setup_conference(world.year_a)
    url = year_url(world, "ballot-create")
    status = status_of(client, world, role, url, "post", ballot_data(world, conference))
    assert status == POSTED[role]
    assert Ballot.objects.exists() == (role in WRITERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_changes_a_draft(client, world, draft, role):
    data = ballot_data(world, question="Câu hỏi mới")
    assert (
        status_of(client, world, role, ballot_url(draft, "ballot-edit"), "post", data)
        == (POSTED[role])
    )
    draft.refresh_from_db()
    assert (draft.question == "Câu hỏi mới") == (role in WRITERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_opens_a_ballot(client, world, draft, role):
    assert (
        status_of(client, world, role, ballot_url(draft, "ballot-open"), "post") == (POSTED[role])
    )
    draft.refresh_from_db()
    assert (draft.state == Ballot.State.OPEN) == (role in WRITERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_enters_a_paper_count(client, world, paper, role):
    url = ballot_url(paper, "ballot-paper-count")
    assert status_of(client, world, role, url, "post", paper_data(paper)) == POSTED[role]
    assert PaperCount.objects.exists() == (role in WRITERS)


# What the pages show and do


def test_the_new_ballot_form_starts_from_the_charter_and_the_conference(client, world):
    CharterVersionFactory(
        cluster_year=world.year_a,
        state="adopted",
        adopted_on=datetime.date(2020, 1, 1),
        vote_quorum_percent=D("66.67"),
        vote_blank_invalid=True,
    )
    conference = ballot_setup_conference(world.year_a)
    client.force_login(world.secretariat)
    form = client.get(year_url(world, "ballot-create")).context["form"]
    assert form.initial["quorum_percent"] == D("66.67")
    assert form.initial["blank_policy"] == Ballot.BlankPolicy.INVALID
    assert form.initial["conference"] == conference
    assert len(form.initial["candidates"]) == 4


def test_preparing_a_ballot_leads_to_it(client, world):
    conference = ballot_setup_conference(world.year_a)
    client.force_login(world.secretariat)
    response = client.post(year_url(world, "ballot-create"), ballot_data(world, conference))
    ballot = Ballot.objects.get()
    assert response.url == ballot.get_absolute_url()
    assert ballot.candidates.count() == 2
    assert ballot.kind == Ballot.Kind.LEADER


def test_a_refused_ballot_shows_the_reason_on_the_form(client, world):
    conference = ballot_setup_conference(world.year_a)
    client.force_login(world.secretariat)
    response = client.post(
        year_url(world, "ballot-create"), ballot_data(world, conference, max_choices="3")
    )
    assert response.status_code == 200
    assert (
        shown("A voter cannot choose %(max)s of %(count)s candidates.", max=3, count=2)
        in response.content.decode()
    )
    assert not Ballot.objects.exists()


def test_the_edit_page_of_an_open_ballot_sends_back_to_it(client, world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    client.force_login(world.secretariat)
    response = client.get(ballot_url(ballot, "ballot-edit"), follow=True)
    assert response.redirect_chain[-1][0] == ballot.get_absolute_url()
    assert shown("The ballot is open: it can no longer be changed.") in response.content.decode()


def test_the_open_page_confirms_what_will_be_put_to_the_vote(client, world, draft):
    client.force_login(world.secretariat)
    page = client.get(ballot_url(draft, "ballot-open")).content.decode()
    assert draft.question in page
    assert "Hải Phòng" in page


def test_paper_counts_that_do_not_add_up_are_shown_with_the_numbers(client, world, paper):
    client.force_login(world.secretariat)
    response = client.post(
        ballot_url(paper, "ballot-paper-count"), paper_data(paper, valid="3", invalid="2")
    )
    assert response.status_code == 200
    message = shown(
        "valid %(valid)s + invalid %(invalid)s = %(sum)s, but %(returned)s ballots returned.",
        valid=3,
        invalid=2,
        sum=5,
        returned=4,
    )
    assert message in response.content.decode()
    assert not PaperCount.objects.exists()


def test_the_paper_count_page_of_an_electronic_ballot_sends_back_to_it(client, world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    client.force_login(world.secretariat)
    response = client.get(ballot_url(ballot, "ballot-paper-count"))
    assert response.url == ballot.get_absolute_url()


def test_the_detail_page_shows_the_question_candidates_and_voter_roll(client, world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    haiphong = world.year_a.memberships.get(department=world.haiphong)
    BallotVoter.objects.create(ballot=ballot, membership=haiphong, cast_by=world.signatory)
    client.force_login(world.staff)
    response = client.get(ballot.get_absolute_url())
    assert response.context["ballot"] == ballot
    assert [c.membership.department.code for c in response.context["candidates"]] == [
        c.membership.department.code for c in ballot.candidates.all()
    ]
    assert response.context["voters"] == [haiphong]


def test_the_detail_page_shows_the_entered_paper_count(client, world, paper):
    client.force_login(world.secretariat)
    client.post(ballot_url(paper, "ballot-paper-count"), paper_data(paper))
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Ông Nguyễn Văn An, Trưởng ban" in page
    assert shown("Correct the paper count") in page


def test_members_see_no_setup_buttons(client, world, draft):
    client.force_login(world.staff)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert ballot_url(draft, "ballot-edit") not in page
    assert ballot_url(draft, "ballot-open") not in page


def test_the_secretariat_sees_the_setup_buttons_of_a_draft(client, world, draft):
    client.force_login(world.secretariat)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert ballot_url(draft, "ballot-edit") in page
    assert ballot_url(draft, "ballot-open") in page


def test_the_list_shows_the_years_ballots_and_the_new_ballot_button(client, world, draft):
    client.force_login(world.secretariat)
    page = client.get(year_url(world, "ballot-list")).content.decode()
    assert draft.get_absolute_url() in page
    assert year_url(world, "ballot-create") in page


def test_the_detail_page_holds_the_voting_counting_and_leadership_parts_in_order():
    source = get_template("ballots/ballot_detail.html").template.source
    positions = [
        source.index(f'{{% include "ballots/includes/{name}.html" %}}')
        for name in ("_vote_panel", "_count", "_leadership")
    ]
    assert positions == sorted(positions)


# On a phone (390 px): tables scroll inside their box, buttons wrap, secondary columns hide.


def test_the_list_fits_a_phone(client, world, draft):
    client.force_login(world.secretariat)
    page = client.get(year_url(world, "ballot-list")).content.decode()
    assert 'class="table-responsive"' in page
    assert "page-actions d-flex flex-wrap" in page
    assert "d-none d-md-table-cell" in page


def test_the_detail_page_fits_a_phone_and_prints_without_buttons(client, world, draft):
    client.force_login(world.secretariat)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'class="table-responsive"' in page
    assert "page-actions d-flex flex-wrap gap-2 d-print-none" in page
    assert 'name="viewport" content="width=device-width' in page


def test_a_closing_conference_page_links_to_the_years_ballots(client, world):
    conference = ballot_setup_conference(world.year_a)
    client.force_login(world.staff)
    page = client.get(reverse("plans:activity-detail", kwargs={"pk": conference.pk}))
    assert year_url(world, "ballot-list") in page.content.decode()


def test_another_activity_page_does_not_link_to_the_ballots(client, world):
    seminar = ballot_setup_conference(world.year_a, kind="seminar")
    client.force_login(world.staff)
    page = client.get(reverse("plans:activity-detail", kwargs={"pk": seminar.pk}))
    assert year_url(world, "ballot-list") not in page.content.decode()
