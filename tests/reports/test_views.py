"""Every report page and export, per role: who gets it, who is refused."""

import pytest
from django.urls import reverse

from agreements.models import Signature
from tests.helpers import WORLD_YEAR, covenant_for

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


def test_the_cached_overview_shows_a_new_signature_at_once(
    client, world, django_capture_on_commit_callbacks
):
    covenant = covenant_for(world.year_a, signed=[world.hanoi])
    client.force_login(world.reviewer)
    url = reverse("reports:overview")
    assert "1/4 (25%)" in client.get(url).content.decode()
    # Made around the services, as in a shell; the cache's version changes on commit.
    with django_capture_on_commit_callbacks(execute=True):
        Signature.objects.create(
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
