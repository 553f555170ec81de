"""Pages of the members app over real HTTP: who may open what, and what forms change."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from cluster_portal.models import AuditEvent
from members.models import ClusterYear, Membership
from tests.factories import DepartmentFactory
from tests.helpers import WORLD_YEAR

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin"]
EVERYONE = set(ROLES)
CLUSTER_A_READERS = {"secretariat", "signatory", "staff", "reviewer", "site_admin"}
MANAGERS = {"secretariat", "site_admin"}
A, YEAR = {"code": "bac-bo"}, {"code": "bac-bo", "year": WORLD_YEAR}

# Every page of the app with the roles that may open it (the world's cluster A, its year
# and one of its member departments); the others get 403, or 404 when they may not see the
# cluster at all (the outsider: answering 403 would tell them the page exists).
PAGES = [
    ("members:dashboard", {}, EVERYONE),
    ("members:cluster-list", {}, EVERYONE),
    ("members:cluster-detail", A, CLUSTER_A_READERS),
    ("members:cluster-history", A, CLUSTER_A_READERS),
    ("members:clusteryear-detail", YEAR, CLUSTER_A_READERS),
    ("members:clusteryear-update", YEAR, MANAGERS),
    ("members:clusteryear-leadership", YEAR, MANAGERS),
    ("members:clusteryear-start", A, MANAGERS),
    ("members:department-list", {}, EVERYONE),
    ("members:department-detail", {"code": "bacninh"}, CLUSTER_A_READERS),
]


def page_cases():
    for name, kwargs, allowed in PAGES:
        for role in ROLES:
            expected = 200 if role in allowed else 404 if role == "outsider" else 403
            yield pytest.param(name, kwargs, role, expected, id=f"{name[8:]}-{role}-{expected}")


def roles_of(cluster_year) -> dict[str, str]:
    return dict(cluster_year.memberships.values_list("department__code", "role"))


@pytest.mark.parametrize(("name", "kwargs", "role", "expected"), list(page_cases()))
def test_each_page_opens_for_allowed_roles_and_refuses_the_others(
    client, world, name, kwargs, role, expected
):
    client.force_login(world.user(role))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == expected


@pytest.mark.parametrize(("name", "kwargs"), [pytest.param(n, k, id=n[8:]) for n, k, _ in PAGES])
def test_each_page_sends_anonymous_users_to_the_login_page(client, world, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next={quote(url)}",
    )


def test_the_outsider_may_open_its_own_clusters_year(client, world):
    client.force_login(world.outsider)
    url = reverse("members:clusteryear-detail", kwargs={"code": "dong-bac", "year": WORLD_YEAR})
    assert client.get(url).status_code == 200


def test_the_secretariat_cannot_open_the_edit_page_of_a_closed_year(client, world):
    world.year_a.phase = ClusterYear.Phase.CLOSED
    world.year_a.save()
    client.force_login(world.secretariat)
    assert client.get(reverse("members:clusteryear-update", kwargs=YEAR)).status_code == 403


def test_a_year_that_does_not_exist_is_not_found(client, world):
    client.force_login(world.reviewer)
    url = reverse("members:clusteryear-detail", kwargs={"code": "bac-bo", "year": 2099})
    assert client.get(url).status_code == 404


def test_a_cluster_that_does_not_exist_is_not_found(client, world):
    client.force_login(world.reviewer)
    assert (
        client.get(reverse("members:cluster-detail", kwargs={"code": "khong-co"})).status_code
        == 404
    )


# Dashboard


def test_the_dashboard_shows_the_users_cluster_year(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("members:dashboard"))
    assert [p["cluster_year"] for p in response.context["panels"]] == [world.year_a]


def test_the_dashboard_marks_the_secretariat(client, world):
    client.force_login(world.secretariat)
    response = client.get(reverse("members:dashboard"))
    assert [p["is_secretariat"] for p in response.context["panels"]] == [True]


def test_the_dashboard_is_in_vietnamese_by_default(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("members:dashboard"))
    assert '<html lang="vi">' in response.text


def test_the_dashboard_stays_vietnamese_for_a_browser_asking_for_english(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("members:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in response.text


def test_the_dashboard_follows_the_language_chosen_with_the_switch(client, world):
    client.force_login(world.staff)
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    response = client.get(reverse("members:dashboard"), HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en">' in response.text


# Leadership form


def leadership_url():
    return reverse("members:clusteryear-leadership", kwargs=YEAR)


def test_the_secretariat_records_a_new_leader_and_deputy(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        leadership_url(), {"leader": world.haiphong.pk, "deputy": world.bacninh.pk}
    )
    assert response.status_code == 302
    assert roles_of(world.year_a) == {
        "haiphong": Membership.Role.LEADER,
        "bacninh": Membership.Role.DEPUTY,
        "hanoi": Membership.Role.MEMBER,
        "vinhphuc": Membership.Role.MEMBER,
    }


def test_recording_the_leadership_redirects_to_the_year(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        leadership_url(), {"leader": world.haiphong.pk, "deputy": world.bacninh.pk}
    )
    assert response["Location"] == world.year_a.get_absolute_url()


def test_the_same_leader_and_deputy_rerenders_the_form_with_a_message(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        leadership_url(), {"leader": world.haiphong.pk, "deputy": world.haiphong.pk}
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.has_error("deputy", code="leader_is_deputy")
    assert escape(form.errors["deputy"][0]) in response.text


def test_the_same_leader_and_deputy_changes_nothing(client, world):
    before = roles_of(world.year_a)
    client.force_login(world.secretariat)
    client.post(leadership_url(), {"leader": world.haiphong.pk, "deputy": world.haiphong.pk})
    assert roles_of(world.year_a) == before


def test_a_leader_from_another_cluster_is_refused_by_the_form(client, world):
    client.force_login(world.secretariat)
    response = client.post(leadership_url(), {"leader": world.quangninh.pk, "deputy": ""})
    assert response.status_code == 200
    assert response.context["form"].has_error("leader")


@pytest.mark.parametrize(
    ("role", "status"),
    [("reviewer", 403), ("staff", 403), ("signatory", 403), ("outsider", 404)],
)
def test_others_posting_the_leadership_are_refused_and_change_nothing(client, world, role, status):
    before = roles_of(world.year_a)
    client.force_login(world.user(role))
    response = client.post(
        leadership_url(), {"leader": world.haiphong.pk, "deputy": world.bacninh.pk}
    )
    assert (response.status_code, roles_of(world.year_a)) == (status, before)


# Year edit form


def test_the_secretariat_edits_the_theme_and_phase(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        reverse("members:clusteryear-update", kwargs=YEAR),
        {"theme": "Chủ đề mới", "motto": "Khẩu hiệu", "phase": ClusterYear.Phase.SIGNING},
    )
    world.year_a.refresh_from_db()
    assert (response.status_code, world.year_a.theme, world.year_a.phase) == (
        302,
        "Chủ đề mới",
        ClusterYear.Phase.SIGNING,
    )


def test_the_secretariat_may_close_the_year_from_the_edit_page(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        reverse("members:clusteryear-update", kwargs=YEAR),
        {"theme": world.year_a.theme, "motto": "", "phase": ClusterYear.Phase.CLOSED},
    )
    world.year_a.refresh_from_db()
    assert (response.status_code, world.year_a.phase) == (302, ClusterYear.Phase.CLOSED)


def test_editing_the_year_records_the_old_values_in_the_audit_trail(client, world):
    before = world.year_a.theme
    client.force_login(world.secretariat)
    client.post(
        reverse("members:clusteryear-update", kwargs=YEAR),
        {"theme": "Chủ đề mới", "motto": "", "phase": ClusterYear.Phase.PLANNING},
    )
    event = AuditEvent.objects.get(action="cluster_year.updated")
    assert (event.details["before"]["theme"], event.details["after"]["theme"]) == (
        before,
        "Chủ đề mới",
    )


def test_an_invalid_phase_rerenders_the_edit_form_and_changes_nothing(client, world):
    before = (world.year_a.theme, world.year_a.phase)
    client.force_login(world.secretariat)
    response = client.post(
        reverse("members:clusteryear-update", kwargs=YEAR),
        {"theme": "Chủ đề mới", "motto": "", "phase": "party"},
    )
    world.year_a.refresh_from_db()
    assert response.status_code == 200
    assert (world.year_a.theme, world.year_a.phase) == before


def test_a_reviewer_posting_the_year_edit_gets_403_and_changes_nothing(client, world):
    before = world.year_a.theme
    client.force_login(world.reviewer)
    response = client.post(
        reverse("members:clusteryear-update", kwargs=YEAR),
        {"theme": "Chủ đề mới", "motto": "", "phase": ClusterYear.Phase.SIGNING},
    )
    world.year_a.refresh_from_db()
    assert (response.status_code, world.year_a.theme) == (403, before)


# Start-year form


def start_url():
    return reverse("members:clusteryear-start", kwargs=A)


def start_data(world, **overrides):
    data = {
        "year": WORLD_YEAR + 1,
        "members": [world.hanoi.pk, world.vinhphuc.pk, world.haiphong.pk, world.bacninh.pk],
        "leader": world.haiphong.pk,
        "deputy": world.hanoi.pk,
        "theme": "Đổi mới, sáng tạo",
        "motto": "Tăng tốc, bứt phá",
    }
    data.update(overrides)
    return data


def test_the_start_page_proposes_the_previous_members(client, world):
    client.force_login(world.secretariat)
    response = client.get(start_url())
    assert set(response.context["form"].initial["members"]) == {
        world.hanoi,
        world.vinhphuc,
        world.haiphong,
        world.bacninh,
    }


def test_the_start_page_offers_only_departments_that_exist_in_the_year_started(client, world):
    # Merged into Hải Phòng on 1 July of the next year: it exists in part of that year only.
    merged = DepartmentFactory(
        province="Hải Dương",
        valid_to=datetime.date(WORLD_YEAR + 1, 6, 30),
        successor=world.haiphong,
    )
    client.force_login(world.secretariat)

    def offered(year):
        response = client.get(start_url(), {"year": year})
        return set(response.context["form"].fields["members"].queryset)

    assert merged in offered(WORLD_YEAR + 1)
    assert merged not in offered(WORLD_YEAR + 2)
    assert world.haiphong in offered(WORLD_YEAR + 2)


def test_the_start_page_offers_the_departments_in_vietnamese_order(client, world):
    client.force_login(world.secretariat)
    response = client.get(start_url())
    offered = [d.province for d in response.context["form"].fields["members"].queryset]
    assert offered == ["Bắc Ninh", "Hà Nội", "Hải Phòng", "Lạng Sơn", "Quảng Ninh", "Vĩnh Phúc"]


def test_the_secretariat_starts_the_next_year(client, world):
    client.force_login(world.secretariat)
    response = client.post(start_url(), start_data(world))
    new_year = world.cluster_a.years.get(year=WORLD_YEAR + 1)
    assert (response.status_code, response["Location"]) == (302, new_year.get_absolute_url())
    assert roles_of(new_year)["haiphong"] == Membership.Role.LEADER


def test_starting_an_existing_year_rerenders_the_form_and_changes_nothing(client, world):
    client.force_login(world.secretariat)
    response = client.post(start_url(), start_data(world, year=WORLD_YEAR))
    assert response.status_code == 200
    assert response.context["form"].has_error("year", code="year_exists")
    assert world.year_a.memberships.get(department=world.hanoi).role == Membership.Role.LEADER


def test_starting_with_a_department_not_valid_that_year_shows_the_error(client, world):
    # The picker does not offer it (see the start page tests above); a forged choice is
    # refused all the same.
    ended = DepartmentFactory(valid_to=f"{WORLD_YEAR}-12-31")
    client.force_login(world.secretariat)
    members = [world.hanoi.pk, world.haiphong.pk, ended.pk]
    response = client.post(start_url(), start_data(world, members=members))
    assert response.context["form"].has_error("members", code="invalid_choice")
    assert not world.cluster_a.years.filter(year=WORLD_YEAR + 1).exists()


def test_starting_with_the_same_leader_and_deputy_creates_nothing(client, world):
    client.force_login(world.secretariat)
    response = client.post(start_url(), start_data(world, deputy=world.haiphong.pk))
    assert response.status_code == 200
    assert not world.cluster_a.years.filter(year=WORLD_YEAR + 1).exists()


def test_starting_with_a_leader_outside_the_members_shows_the_service_s_error(client, world):
    client.force_login(world.secretariat)
    members = [world.hanoi.pk, world.vinhphuc.pk]
    response = client.post(start_url(), start_data(world, members=members))
    form = response.context["form"]
    assert response.status_code == 200
    assert form.has_error("leader", code="leader_not_member")
    assert escape(form.errors["leader"][0]) in response.text
    assert not world.cluster_a.years.filter(year=WORLD_YEAR + 1).exists()


@pytest.mark.parametrize("year", ["10000", "99999"])
def test_the_start_page_for_an_impossible_year_is_not_a_server_error(client, world, year):
    client.force_login(world.secretariat)
    assert client.get(start_url(), {"year": year}).status_code == 200


def test_starting_an_impossible_year_rerenders_the_form_with_a_message(client, world):
    client.force_login(world.secretariat)
    response = client.post(start_url(), start_data(world, year=99999))
    assert response.status_code == 200
    assert response.context["form"].has_error("year")


@pytest.mark.parametrize(
    ("role", "status"),
    [("reviewer", 403), ("staff", 403), ("signatory", 403), ("outsider", 404)],
)
def test_others_posting_the_start_page_are_refused_and_nothing_is_created(
    client, world, role, status
):
    client.force_login(world.user(role))
    response = client.post(start_url(), start_data(world))
    assert response.status_code == status
    assert not world.cluster_a.years.filter(year=WORLD_YEAR + 1).exists()


# Department directory


def directory_names(client, query):
    response = client.get(reverse("members:department-list"), {"q": query})
    return {d.full_name for d in response.context["departments"]}, response.text


@pytest.mark.parametrize("query", ["ha noi", "HÀ NỘI", "Ha Noi", "hà nội"])
def test_directory_search_ignores_case_and_diacritics(client, world, query):
    client.force_login(world.staff)
    names, html = directory_names(client, query)
    assert names == {"Sở Nội vụ thành phố Hà Nội"}
    assert "Sở Nội vụ thành phố Hà Nội" in html


def test_directory_search_leaves_out_the_departments_that_do_not_match(client, world):
    client.force_login(world.staff)
    _, html = directory_names(client, "ha noi")
    assert "Sở Nội vụ tỉnh Bắc Ninh" not in html


def test_directory_lists_only_departments_the_user_may_see(client, world):
    client.force_login(world.outsider)
    names, _ = directory_names(client, "")
    assert names == {"Sở Nội vụ tỉnh Quảng Ninh", "Sở Nội vụ tỉnh Lạng Sơn"}
