"""Every report page and export, per role: who gets it, who is refused."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from agreements.models import Covenant, Signature
from members import services as members_services
from members.models import Membership
from plans import services as plans_services
from plans.models import Activity
from tests.helpers import (
    WORLD_YEAR,
    change_page_data,
    clock,
    committed,
    covenant_for,
    department,
    draft_covenant,
    open_covenant,
    plan_for,
    sign,
)

pytestmark = pytest.mark.django_db

A = {"code": "bac-bo"}
A_YEAR = {"code": "bac-bo", "year": WORLD_YEAR}
# (url name, kwargs): every page and export of cluster A
CLUSTER_A_URLS = [
    ("reports:clusteryear-report", A_YEAR),
    ("reports:clusteryear-export-csv", {**A_YEAR, "table": "members"}),
    ("reports:clusteryear-export-xlsx", {**A_YEAR, "table": "members"}),
    ("reports:clusteryear-export-csv", {**A_YEAR, "table": "signatures"}),
    ("reports:clusteryear-export-xlsx", {**A_YEAR, "table": "signatures"}),
    ("reports:clusteryear-export-csv", {**A_YEAR, "table": "activities"}),
    ("reports:clusteryear-export-xlsx", {**A_YEAR, "table": "activities"}),
    ("reports:clusteryear-pdf", A_YEAR),
    ("reports:cluster-history", A),
    ("reports:cluster-history-csv", A),
    ("reports:cluster-history-xlsx", A),
    ("reports:department-history", {"code": "bacninh"}),
]
OVERVIEW_URLS = ["reports:overview", "reports:overview-csv", "reports:overview-xlsx"]
# role → may see cluster A
ROLES = {
    "reviewer": True,
    "site_admin": True,
    "secretariat": True,
    "signatory": True,
    "staff": True,
    "outsider": False,
}


@pytest.mark.parametrize(("name", "kwargs"), CLUSTER_A_URLS)
@pytest.mark.parametrize(("role", "allowed"), ROLES.items())
def test_cluster_pages_and_exports_are_for_whoever_sees_the_cluster(
    client, world, name, kwargs, role, allowed
):
    client.force_login(world.user(role))
    response = client.get(reverse(name, kwargs=kwargs))
    # Outside the user's scope the page does not exist for them: 404, not 403.
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize(("name", "kwargs"), CLUSTER_A_URLS)
def test_cluster_pages_and_exports_send_anonymous_users_to_login(client, world, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", OVERVIEW_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_the_overview_and_its_exports_open_for_every_role(client, world, name, role):
    client.force_login(world.user(role))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", OVERVIEW_URLS)
def test_the_overview_sends_anonymous_users_to_login(client, world, name):
    assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize(("role", "sees_b"), [("reviewer", True), ("secretariat", False)])
def test_the_overview_page_lists_only_the_clusters_of_the_role(client, world, role, sees_b):
    client.force_login(world.user(role))
    content = client.get(reverse("reports:overview")).content.decode()
    assert world.cluster_a.name in content
    assert (world.cluster_b.name in content) is sees_b


@pytest.mark.parametrize("name", ["reports:overview", "reports:clusteryear-report"])
def test_a_post_is_refused_to_every_role(client, world, name):
    kwargs = A_YEAR if name == "reports:clusteryear-report" else {}
    client.force_login(world.site_admin)
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 405


def test_an_unknown_export_table_is_not_found(client, world):
    client.force_login(world.reviewer)
    url = reverse("reports:clusteryear-export-csv", kwargs={**A_YEAR, "table": "secrets"})
    assert client.get(url).status_code == 404


def test_an_unknown_year_is_not_found(client, world):
    client.force_login(world.reviewer)
    url = reverse("reports:clusteryear-report", kwargs={"code": "bac-bo", "year": 2001})
    assert client.get(url).status_code == 404


def test_bad_filters_fall_back_to_the_defaults(client, world):
    client.force_login(world.reviewer)
    response = client.get(reverse("reports:overview"), {"year": "abc", "state": "nonsense"})
    assert response.status_code == 200
    assert response.context["overview"].year == WORLD_YEAR


def test_charts_are_inline_svg_with_a_table_and_no_script_or_style(client, world):
    covenant_for(world.year_a, signed=[world.hanoi])
    client.force_login(world.reviewer)
    content = client.get(reverse("reports:overview")).content.decode()
    assert content.count("<svg") == 3
    assert content.count('class="table table-sm w-auto chart-table"') == 3
    assert "style=" not in content
    assert "<script>" not in content
    assert "http://" not in content.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_report_links_the_issued_covenant_pdf(client, world):
    from django.utils import timezone

    from agreements.models import CovenantDocument

    covenant = covenant_for(world.year_a, signed=[world.hanoi])
    CovenantDocument.objects.create(
        covenant=covenant,
        identifier="12345678-1234-5678-1234-567812345678",
        file="covenants/x.pdf",
        sha256="a" * 64,
        size=1,
        text_sha256="b" * 64,
        issued_at=timezone.now(),
    )
    client.force_login(world.reviewer)
    content = client.get(reverse("reports:clusteryear-report", kwargs=A_YEAR)).content.decode()
    assert reverse("agreements:covenant-pdf", kwargs=A_YEAR) in content


def test_the_navbar_links_the_reports(client, world):
    client.force_login(world.staff)
    assert reverse("reports:overview") in client.get(reverse("members:dashboard")).content.decode()


def test_the_cached_overview_shows_a_new_signature_at_once(client, world):
    covenant = covenant_for(world.year_a, signed=[world.hanoi])
    client.force_login(world.reviewer)
    url = reverse("reports:overview")
    assert "1/4 (25%)" in client.get(url).content.decode()
    # Made around the services, as in a shell; the cache's version changes on commit.
    committed(
        lambda: Signature.objects.create(
            covenant=covenant,
            version=covenant.versions.get(),
            department=world.haiphong,
            status="signed",
            method="paper",
            signer_name="Nguyễn Văn Hùng",
            department_name=world.haiphong.full_name,
            signed_at=covenant.created_at,
            text_sha256="0" * 64,
        )
    )
    assert "2/4 (50%)" in client.get(url).content.decode()


def test_the_cached_overview_is_not_shared_between_scopes(client, world):
    client.force_login(world.reviewer)
    client.get(reverse("reports:overview"))
    client.force_login(world.outsider)
    content = client.get(reverse("reports:overview")).content.decode()
    assert world.cluster_a.name not in content


def test_the_pdf_report_is_a_decree_30_bao_cao_with_the_years_figures(client, world):
    import io

    import pdfplumber

    covenant_for(world.year_a, signed=[world.haiphong])
    client.force_login(world.reviewer)
    response = client.get(reverse("reports:clusteryear-pdf", kwargs=A_YEAR))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO" in text
    assert "1/4 thành viên đã ký" in text
    assert "TM. CỤM THI ĐUA" in text


# The overview's shared cache: every committed change shows on the cached page at once

MARCH_1 = datetime.date(WORLD_YEAR, 3, 1)


def overview_of(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:overview") + f"?year={WORLD_YEAR}")
    assert response.status_code == 200
    return response.content.decode()


def state_cell(choice) -> str:
    """The covenant state as the overview's table shows it (in the default language)."""
    with translation.override("vi"):
        return f"<td>{choice.label}</td>"


def test_a_new_leader_set_through_the_service_shows_on_the_cached_overview(client, world):
    assert f"<td>{world.hanoi.full_name}</td>" in overview_of(client, world.reviewer)
    # The service moves the roles with QuerySet.update(): no model signal, but an audit event.
    committed(
        lambda: members_services.cluster_year_set_leadership(
            cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.secretariat
        )
    )
    assert f"<td>{world.haiphong.full_name}</td>" in overview_of(client, world.reviewer)


def test_a_member_added_through_the_service_shows_on_the_cached_overview(client, world):
    assert ">4<" in overview_of(client, world.reviewer)
    laocai = department("Lào Cai", "laocai")
    committed(
        lambda: members_services.membership_add(
            cluster_year=world.year_a, department=laocai, by=world.secretariat
        )
    )
    assert ">5<" in overview_of(client, world.reviewer)


def test_a_member_removed_through_the_service_shows_on_the_cached_overview(client, world):
    assert ">4<" in overview_of(client, world.reviewer)
    membership = Membership.objects.get(cluster_year=world.year_a, department=world.bacninh)
    committed(
        lambda: members_services.membership_remove(membership=membership, by=world.secretariat)
    )
    assert ">4<" not in overview_of(client, world.reviewer)


def test_a_covenant_drafted_through_the_service_shows_on_the_cached_overview(client, world):
    assert state_cell(Covenant.State.DRAFT) not in overview_of(client, world.reviewer)
    committed(lambda: draft_covenant(world))
    assert state_cell(Covenant.State.DRAFT) in overview_of(client, world.reviewer)


def test_a_covenant_opened_through_the_service_shows_on_the_cached_overview(client, world):
    covenant = draft_covenant(world)
    assert state_cell(Covenant.State.OPEN) not in overview_of(client, world.reviewer)
    committed(lambda: open_covenant(covenant, world.secretariat))
    assert state_cell(Covenant.State.OPEN) in overview_of(client, world.reviewer)


def test_a_signature_recorded_through_the_service_shows_on_the_cached_overview(client, world):
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    assert "0/4 (0%)" in overview_of(client, world.reviewer)
    committed(lambda: sign(covenant, world.signatory))
    assert "1/4 (25%)" in overview_of(client, world.reviewer)


def test_an_activity_created_through_the_service_shows_on_the_cached_overview(client, world):
    plan = plan_for(world.year_a, (Activity.Status.DONE, 100, datetime.date(WORLD_YEAR, 3, 1)))
    assert "100%" in overview_of(client, world.reviewer)
    committed(
        lambda: plans_services.activity_create(
            work_plan=plan,
            title="Hội nghị sơ kết",
            kind=Activity.Kind.CONFERENCE,
            starts_on=datetime.date(WORLD_YEAR, 6, 1),
            ends_on=datetime.date(WORLD_YEAR, 6, 1),
            status=Activity.Status.IN_PROGRESS,
            progress=40,
            by=world.secretariat,
        )
    )
    assert "70%" in overview_of(client, world.reviewer)


def test_an_activity_updated_through_the_service_shows_on_the_cached_overview(client, world):
    plan = plan_for(
        world.year_a, (Activity.Status.IN_PROGRESS, 20, datetime.date(WORLD_YEAR, 3, 1))
    )
    activity = plan.activities.get()
    assert "20%" in overview_of(client, world.reviewer)
    # One conditional QuerySet.update(): no model signal, but an audit event.
    committed(
        lambda: plans_services.activity_update(
            activity=activity,
            version=activity.version,
            changes={"progress": 60},
            by=world.secretariat,
        )
    )
    assert "60%" in overview_of(client, world.reviewer)


def test_a_cluster_renamed_in_the_admin_shows_on_the_cached_overview(client, world):
    assert "Cụm thi đua vùng Đồng bằng" not in overview_of(client, world.reviewer)
    client.force_login(world.site_admin)
    url = reverse("admin:members_cluster_change", args=[world.cluster_a.pk])
    data = change_page_data(client, url)
    data["name"] = "Cụm thi đua vùng Đồng bằng"
    response = committed(lambda: client.post(url, data))
    assert response.status_code == 302
    assert "Cụm thi đua vùng Đồng bằng" in overview_of(client, world.reviewer)


def test_an_edit_saved_around_the_services_shows_on_the_cached_overview(client, world):
    plan = plan_for(
        world.year_a, (Activity.Status.IN_PROGRESS, 20, datetime.date(WORLD_YEAR, 3, 1))
    )
    activity = plan.activities.get()
    assert "20%" in overview_of(client, world.reviewer)
    activity.progress = 80
    committed(activity.save)  # as in `manage.py shell`
    assert "80%" in overview_of(client, world.reviewer)


def test_a_signing_deadline_passing_shows_on_the_cached_overview_without_any_write(client, world):
    deadline = timezone.now() + datetime.timedelta(minutes=10)
    covenant_for(world.year_a, deadline=deadline, signed=[world.hanoi])
    assert "report-warning" not in overview_of(client, world.reviewer)
    with clock(deadline + datetime.timedelta(minutes=1)):
        assert "report-warning" in overview_of(client, world.reviewer)


def test_a_write_not_yet_committed_leaves_the_cached_overview_as_it_was(client, world):
    covenant = covenant_for(world.year_a, signed=[world.hanoi])
    assert "1/4 (25%)" in overview_of(client, world.reviewer)
    Signature.objects.filter(covenant=covenant).delete()  # the test's transaction never commits
    assert "1/4 (25%)" in overview_of(client, world.reviewer)


def test_the_overview_without_a_cache_shows_the_same_page(client, world, settings):
    covenant_for(world.year_a, signed=[world.hanoi])
    cached = overview_of(client, world.reviewer)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    uncached = overview_of(client, world.reviewer)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", uncached) == strip.sub("", cached)
