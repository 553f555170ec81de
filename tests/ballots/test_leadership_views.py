"""The confirmation page of a leader or deputy election, and the panel the ballot page
shows about next year's leadership."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from ballots.models import Ballot
from ballots.selectors.leadership import leadership_context_for, result_confirm_refusal
from ballots.services.leadership import ballot_result_confirm
from members.models import ClusterYear
from tests.factories import DepartmentFactory
from tests.helpers import (
    WORLD_YEAR,
    assert_same_count,
    leadership_ballot,
    members_year,
    queries_for,
    vi,
)

pytestmark = pytest.mark.django_db


def confirm_url(ballot) -> str:
    return reverse("ballots:ballot-confirm", kwargs={"pk": ballot.pk})


def panel(ballot, user) -> str:
    ballot = Ballot.objects.prefetch_related("candidates__membership").get(pk=ballot.pk)
    context = {"ballot": ballot, **leadership_context_for(ballot=ballot, user=user)}
    return render_to_string("ballots/includes/_leadership.html", context)


def test_the_secretariat_sees_the_elected_department_before_confirming(client, world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    client.force_login(world.secretariat)

    response = client.get(confirm_url(ballot))

    assert response.status_code == 200
    assert ballot.candidates.get(chosen=True).membership.full_name in response.content.decode()


def test_confirming_leads_to_next_years_page_with_the_new_leader(client, world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    client.force_login(world.secretariat)

    response = client.post(confirm_url(ballot))

    year = ClusterYear.objects.get(cluster=world.cluster_a, year=WORLD_YEAR + 1)
    assert response.status_code == 302
    assert response.url == year.get_absolute_url()
    assert year.leader.department == world.haiphong


def test_a_refused_confirmation_shows_the_reason_and_changes_nothing(client, world):
    ballot = leadership_ballot(
        world.year_a, chosen=None, others=[world.haiphong, world.bacninh], has_tie=True
    )
    client.force_login(world.secretariat)

    response = client.post(confirm_url(ballot))

    assert response.status_code == 200
    assert (
        vi(
            "The count ended in a tie: hold a runoff among the tied candidates and confirm "
            "its result."
        )
        in response.content.decode()
    )
    assert not ClusterYear.objects.filter(year=WORLD_YEAR + 1).exists()


@pytest.mark.parametrize("role", ["staff", "signatory"])
def test_members_who_see_the_ballot_may_not_confirm(client, world, role):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    client.force_login(world.user(role))

    assert client.get(confirm_url(ballot)).status_code == 403
    assert client.post(confirm_url(ballot)).status_code == 403


def test_a_reviewer_may_not_confirm(client, world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    client.force_login(world.reviewer)

    assert client.post(confirm_url(ballot)).status_code == 403
    assert not ClusterYear.objects.filter(year=WORLD_YEAR + 1).exists()


def test_another_clusters_member_does_not_learn_the_ballot_exists(client, world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    client.force_login(world.outsider)

    assert client.get(confirm_url(ballot)).status_code == 404


def test_the_confirmation_page_costs_the_same_queries_for_2_or_10_candidates(client):
    small_year, small_departments, small_user = members_year(3)
    large_year, large_departments, large_user = members_year(11)
    small = leadership_ballot(small_year, chosen=small_departments[1], others=small_departments[2:])
    large = leadership_ballot(large_year, chosen=large_departments[1], others=large_departments[2:])

    assert_same_count(
        queries_for(client, small_user, confirm_url(small)),
        queries_for(client, large_user, confirm_url(large)),
    )


def test_the_panel_offers_the_secretariat_to_confirm_the_counted_result(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    html = panel(ballot, world.secretariat)

    assert confirm_url(ballot) in html
    assert ballot.candidates.get(chosen=True).membership.full_name in html


def test_the_panel_shows_members_the_result_without_the_button(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)

    html = panel(ballot, world.staff)

    assert confirm_url(ballot) not in html
    assert ballot.candidates.get(chosen=True).membership.full_name in html


def test_the_panel_says_who_confirmed_once_confirmed(world):
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong)
    ballot_result_confirm(ballot=ballot, by=world.secretariat)

    html = panel(ballot, world.secretariat)

    assert confirm_url(ballot) not in html
    assert world.secretariat.username in html or world.secretariat.get_full_name() in html


def test_the_panel_gives_the_reason_a_result_cannot_be_confirmed(world):
    ballot = leadership_ballot(world.year_a, chosen=None, others=[world.haiphong])

    html = panel(ballot, world.secretariat)

    assert confirm_url(ballot) not in html
    assert escape(result_confirm_refusal(ballot=ballot)[1]) in html


def test_the_panel_is_absent_from_ballots_on_awards(world):
    ballot = leadership_ballot(
        world.year_a, chosen=world.haiphong, kind=Ballot.Kind.GOVERNMENT_FLAG
    )

    assert leadership_context_for(ballot=ballot, user=world.secretariat) == {}
    assert panel(ballot, world.secretariat).strip() == ""


def test_the_panel_costs_no_query_once_the_page_loaded_the_ballot(
    world, django_assert_max_num_queries
):
    others = [DepartmentFactory() for _ in range(6)]
    for department in others:
        world.year_a.memberships.create(
            department=department, full_name=department.full_name, short_name=department.short_name
        )
    ballot = leadership_ballot(world.year_a, chosen=world.haiphong, others=others)
    ballot = (
        Ballot.objects.select_related("cluster_year__cluster")
        .prefetch_related("candidates__membership", "cluster_year__memberships")
        .get(pk=ballot.pk)
    )
    leadership_context_for(ballot=ballot, user=world.secretariat)  # the user's rights, cached

    with django_assert_max_num_queries(0):
        context = leadership_context_for(ballot=ballot, user=world.secretariat)
        render_to_string("ballots/includes/_leadership.html", {"ballot": ballot, **context})
