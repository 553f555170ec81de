"""The portal-wide audit log: who may read it, what each role sees, its filters and pages."""

import re

import pytest
from django.urls import reverse

from agreements.audit import AgreementAction
from cluster_portal.audit import AuthAction, RequestMeta, audit_record
from members.audit import MembersAction
from tests.factories import (
    ActivityFactory,
    CharterVersionFactory,
    LegalReferenceFactory,
    NewsPostFactory,
)
from tests.helpers import (
    clock,
    cluster_year_with,
    draft_covenant,
    evaluation_for,
    plan_for,
    queries_for,
    utc,
)

pytestmark = pytest.mark.django_db

URL = reverse("members:audit-log")
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
PHONE = RequestMeta(ip_address="203.0.113.77", user_agent=ANDROID_CHROME)


def record(actor, target, action=MembersAction.CLUSTER_YEAR_UPDATED, meta=PHONE):
    return audit_record(actor=actor, action=action, target=target, meta=meta)


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def shown(response) -> set[int]:
    return {event.pk for event in response.context["events"]}


@pytest.fixture
def events(world):
    """One event in each cluster and a login with no cluster."""
    return {
        "a": record(world.secretariat, world.year_a),
        "b": record(world.outsider, world.year_b),
        "login": audit_record(actor=world.staff, action=AuthAction.LOGIN, target=world.staff),
    }


# Who may read it


@pytest.mark.parametrize("role", ["secretariat", "reviewer", "site_admin", "outsider"])
def test_the_secretariat_reviewers_and_site_admins_may_open_the_log(client, world, role):
    # The outsider's department leads cluster B: its secretariat.
    assert page(client, world.user(role)).status_code == 200


@pytest.mark.parametrize("role", ["signatory", "staff"])
def test_member_departments_that_never_led_get_404(client, world, role):
    assert page(client, world.user(role)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_department_that_led_an_earlier_year_keeps_reading_its_cluster(client, world):
    cluster_year_with(world.cluster_a, 2023, leader=world.haiphong, members=[world.hanoi])
    assert page(client, world.staff).status_code == 200


@pytest.mark.parametrize(
    ("role", "linked"),
    [
        ("secretariat", True),
        ("reviewer", True),
        ("site_admin", True),
        ("signatory", False),
        ("staff", False),
    ],
)
def test_the_navbar_links_the_log_for_those_who_may_read_it(client, world, role, linked):
    client.force_login(world.user(role))
    assert (f'href="{URL}"' in client.get(reverse("members:dashboard")).content.decode()) is linked


# What each role sees


def test_the_secretariat_sees_the_events_of_its_cluster_only(client, world, events):
    assert shown(page(client, world.secretariat)) == {events["a"].pk}


def test_the_secretariat_of_another_cluster_sees_only_its_own(client, world, events):
    assert shown(page(client, world.outsider)) == {events["b"].pk}


@pytest.mark.parametrize("role", ["reviewer", "site_admin"])
def test_reviewers_and_site_admins_see_every_event_including_logins(client, world, events, role):
    # Their own login (force_login records one) comes on top.
    assert shown(page(client, world.user(role))) >= {e.pk for e in events.values()}


def test_events_on_a_covenant_belong_to_its_cluster(client, world):
    covenant = draft_covenant(world)
    response = page(client, world.secretariat)
    assert [(e.action, e.target_id) for e in response.context["events"]] == [
        (AgreementAction.COVENANT_CREATED, str(covenant.pk))
    ]
    assert shown(page(client, world.outsider)) == set()


def test_a_year_the_secretariat_department_was_not_a_member_of_stays_hidden(client, world):
    # Quảng Ninh leads cluster B in the world year; in 2023 it was not in cluster B at all.
    earlier = cluster_year_with(world.cluster_b, 2023, leader=world.langson)
    record(world.outsider, earlier)
    assert shown(page(client, world.outsider)) == set()


# Filters


def test_the_cluster_filter_keeps_that_cluster(client, world, events):
    response = page(client, world.reviewer, cluster="dong-bac")
    assert shown(response) == {events["b"].pk}


def test_the_year_filter_keeps_that_year(client, world, events):
    earlier = cluster_year_with(world.cluster_a, 2023, leader=world.hanoi)
    old = record(world.secretariat, earlier)
    assert shown(page(client, world.secretariat, year=2023)) == {old.pk}
    assert shown(page(client, world.secretariat, year=2024)) == {events["a"].pk}


def test_the_department_filter_keeps_the_events_of_that_departments_people(client, world, events):
    response = page(client, world.reviewer, department="haiphong")
    assert shown(response) == {events["login"].pk}


def test_the_kind_filter_keeps_that_action(client, world, events):
    response = page(client, world.reviewer, action=AuthAction.LOGIN.value)
    assert {e.action for e in response.context["events"]} == {AuthAction.LOGIN}
    assert events["login"].pk in shown(response)


def test_the_kind_filter_offers_the_registered_actions_by_their_labels(client, world):
    choices = dict(page(client, world.reviewer).context["form"].fields["action"].choices)
    assert choices[AgreementAction.COVENANT_OPENED.value] == "Mở ký"
    assert choices[AuthAction.LOGIN.value] == "Đăng nhập"


def test_filters_combine(client, world, events):
    record(world.secretariat, world.year_a, action=MembersAction.MEMBERSHIP_ADDED)
    response = page(
        client,
        world.reviewer,
        cluster="bac-bo",
        year=2024,
        department="hanoi",
        action=MembersAction.CLUSTER_YEAR_UPDATED.value,
    )
    assert shown(response) == {events["a"].pk}


def test_the_secretariat_cannot_filter_on_another_cluster(client, world, events):
    response = page(client, world.secretariat, cluster="dong-bac")
    assert "cluster" in response.context["form"].errors
    assert shown(response) == {events["a"].pk}


def test_the_secretariat_is_offered_only_its_clusters_and_their_departments(client, world):
    form = page(client, world.secretariat).context["form"]
    assert [c.code for c in form.fields["cluster"].queryset] == ["bac-bo"]
    codes = {d.code for d in form.fields["department"].queryset}
    assert codes == {"hanoi", "vinhphuc", "haiphong", "bacninh"}


# Plain language


def test_events_are_named_in_vietnamese_not_by_their_code(client, world, events):
    html = page(client, world.secretariat).content.decode()
    row = re.search(r'<th scope="row" class="fw-semibold audit-action">(.*?)</th>', html, re.S)
    assert row.group(1).strip() == "Đã sửa thông tin năm"


def test_the_browser_is_named_in_plain_words(client, world, events):
    html = page(client, world.secretariat).content.decode()
    assert '<span class="d-block audit-browser">Chrome trên Android</span>' in html


def test_the_raw_user_agent_ip_and_hashes_fold_away(client, world, events):
    html = page(client, world.secretariat).content.decode()
    folded = re.search(r"<details class=\"audit-technical small\">(.*?)</details>", html, re.S)
    technical = folded.group(1)
    assert ANDROID_CHROME in technical and "203.0.113.77" in technical
    assert events["a"].hash in technical
    outside = html.replace(folded.group(0), "")
    assert ANDROID_CHROME not in outside and events["a"].hash not in outside


def test_times_are_shown_in_gmt7_with_the_zone_written(client, world):
    with clock(utc(2024, 3, 5, 20, 30)):
        record(world.secretariat, world.year_a)
    html = page(client, world.secretariat).content.decode()
    assert "03:30 06/03/2024 (GMT+7)" in html


# Pages


def test_the_log_shows_50_events_a_page_newest_first(client, world):
    recorded = [record(world.secretariat, world.year_a) for _ in range(51)]
    first = page(client, world.secretariat)
    assert [e.pk for e in first.context["events"]] == [e.pk for e in reversed(recorded[1:])]
    second = page(client, world.secretariat, page=2)
    assert shown(second) == {recorded[0].pk}


def test_the_next_page_link_keeps_the_filters(client, world):
    for _ in range(51):
        record(world.secretariat, world.year_a)
    html = page(client, world.secretariat, year=2024).content.decode()
    assert 'href="?year=2024&amp;page=2"' in html


def test_the_log_costs_the_same_queries_with_2_and_50_events(client, world):
    for user in (world.secretariat, world.reviewer):
        record(world.secretariat, world.year_a)
        record(world.staff, world.year_a, meta=RequestMeta())
        small = queries_for(client, user, URL + "?cluster=bac-bo&department=hanoi")
        for _ in range(48):
            record(world.secretariat, world.year_a)
        large = queries_for(client, user, URL + "?cluster=bac-bo&department=hanoi")
        assert len(small) == len(large), "\n".join([*small, "", *large])


def test_the_secretariat_log_costs_the_same_with_one_and_five_years(client, world):
    record(world.secretariat, world.year_a)
    small = queries_for(client, world.secretariat, URL)
    for year in range(2019, 2023):
        record(world.secretariat, cluster_year_with(world.cluster_a, year, leader=world.hanoi))
    assert len(queries_for(client, world.secretariat, URL)) == len(small)


# Every app's objects belong to their cluster


def _activity(year):
    return ActivityFactory(work_plan=plan_for(year))


def _charter(year):
    return CharterVersionFactory(cluster_year=year)


def _news(year):
    return NewsPostFactory(cluster_year=year)


def _evaluation(year):
    return evaluation_for(year)


def _assessment(year):
    evaluation = evaluation_for(year)
    return evaluation.assessments.first()


def _reference(year):
    return LegalReferenceFactory(cluster=year.cluster)


@pytest.mark.parametrize("make", [_activity, _charter, _news, _evaluation, _assessment, _reference])
def test_events_on_every_app_s_objects_reach_their_cluster_s_secretariat_only(client, world, make):
    event = record(world.secretariat, make(world.year_a), action=MembersAction.CLUSTER_YEAR_UPDATED)
    assert event.pk in shown(page(client, world.secretariat))
    assert event.pk not in shown(page(client, world.outsider))
    assert event.pk in shown(page(client, world.reviewer, cluster="bac-bo"))
    assert event.pk not in shown(page(client, world.reviewer, cluster="dong-bac"))
