"""The results page and its CSV/XLSX exports: who sees them when, what they show, and that
the page and the exports give the same numbers."""

import csv
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from evaluations.models import Result
from members.models import Department, Membership
from tests.helpers import (
    ROLES,
    assessment_of,
    evaluation_for,
    results_published,
    results_url,
    score_lines,
)

pytestmark = pytest.mark.django_db

PAGES = ["results-detail", "results-csv", "results-xlsx"]


def scored(world):
    """Cluster A's evaluation in checking, with Hà Nội 18, Hải Phòng and Bắc Ninh tied on
    12,50 and Vĩnh Phúc 0."""
    evaluation = evaluation_for(world.year_a, phase="checking")
    # I: 10 + 5 (at the target); bonus 3 + 4 capped at 5; penalty 2: 18.
    score_lines(
        assessment_of(evaluation, world.hanoi),
        I_1="10",
        I_4=("actual", "100"),
        II_1="3",
        II_2="4",
        III_1="2",
    )
    score_lines(assessment_of(evaluation, world.haiphong), I_1="7.5", I_2="5")  # 12,50
    score_lines(assessment_of(evaluation, world.bacninh), I_1="10", I_3=("count", 3), III_1="0.5")
    return evaluation


@pytest.fixture
def provisional(world):
    return scored(world)


@pytest.fixture
def published(world):
    return results_published(scored(world), results_number="05/BC-CTĐ")


# Who sees the results

PUBLISHED_STATUS = {
    "secretariat": 200,
    "signatory": 200,
    "staff": 200,
    "outsider": 404,  # another cluster's year: as if it did not exist
    "reviewer": 200,
    "site_admin": 200,
}
PROVISIONAL_STATUS = {**PUBLISHED_STATUS, "signatory": 403, "staff": 403}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_published_results_are_for_every_member_reviewers_and_admins(
    client, world, published, role, page
):
    client.force_login(world.user(role))
    assert client.get(results_url(published, page)).status_code == PUBLISHED_STATUS[role]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_results_before_publication_are_for_the_secretariat_reviewers_and_admins_only(
    client, world, provisional, role, page
):
    client.force_login(world.user(role))
    assert client.get(results_url(provisional, page)).status_code == PROVISIONAL_STATUS[role]


@pytest.mark.parametrize("page", [*PAGES, "results-pdf"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, published, page):
    response = client.get(results_url(published, page))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_the_results_pages_accept_no_post(client, world, published, page):
    client.force_login(world.secretariat)
    assert client.post(results_url(published, page)).status_code == 405


def test_a_year_without_an_evaluation_has_no_results_page(client, world):
    client.force_login(world.secretariat)
    url = f"/evaluations/{world.cluster_a.code}/{world.year_a.year}/results/"
    assert client.get(url).status_code == 404


# What the page shows


def test_the_page_lists_every_member_with_rank_subtotals_bonus_penalty_total(
    client, world, published
):
    client.force_login(world.staff)
    page = client.get(results_url(published)).content.decode()
    for membership in world.year_a.memberships.all():
        assert membership.full_name in page
    assert "18,00" in page and "12,50" in page  # totals as the portal writes points
    assert "30,00" in page  # section I headed with its maximum
    assert "5,00" in page  # the bonus headed with its cap


def test_tied_members_share_a_rank_and_the_next_rank_skips(client, world, published):
    ranks = dict(
        Result.objects.filter(evaluation=published).values_list(
            "membership__department__code", "rank"
        )
    )
    assert ranks == {"hanoi": 1, "haiphong": 2, "bacninh": 2, "vinhphuc": 4}
    client.force_login(world.staff)
    page = client.get(results_url(published)).content.decode()
    assert page.count('<span class="badge text-bg-secondary">') == 2  # "tied", twice


def test_published_results_are_shown_as_stored_not_recomputed(client, world, published):
    assessment_of(published, world.hanoi).scores.filter(criterion__code="I.1").update(
        self_points=D("0"), final_points=D("0")
    )
    client.force_login(world.reviewer)
    page = client.get(results_url(published)).content.decode()
    assert "18,00" in page
    assert "results-provisional" not in page


def test_results_before_publication_say_they_are_provisional(client, world, provisional):
    client.force_login(world.secretariat)
    page = client.get(results_url(provisional)).content.decode()
    assert "results-provisional" in page
    assert "18,00" in page  # computed now from the scores


def test_the_page_shows_the_name_each_member_had_that_year(client, world, published):
    Department.objects.filter(pk=world.vinhphuc.pk).update(full_name="Sở Nội vụ tỉnh Phú Thọ")
    client.force_login(world.secretariat)
    page = client.get(results_url(published)).content.decode()
    assert Membership.objects.get(department=world.vinhphuc).full_name in page
    assert "Phú Thọ" not in page


def test_the_chart_is_an_inline_svg_with_the_same_figures_as_a_table(client, world, published):
    client.force_login(world.staff)
    page = client.get(results_url(published)).content.decode()
    chart = page[page.index('id="chart-results-caption"') :]
    assert "<svg" in chart and "<script" not in chart
    assert 'href="#results-table"' in chart  # the results table gives the same figures
    assert page_totals(client, results_url(published)) == ["18,00", "12,50", "12,50", "0,00"]


def test_the_wide_table_scrolls_in_a_box_the_keyboard_reaches(client, world, published):
    client.force_login(world.staff)
    page = client.get(results_url(published)).content.decode()
    box = page[page.index('class="table-responsive results-scroll') :].split(">", 1)[0]
    assert 'tabindex="0"' in box and "aria-label=" in box


def test_the_page_links_to_its_exports_and_the_pdf(client, world, published):
    client.force_login(world.staff)
    page = client.get(results_url(published)).content.decode()
    for name in ("results-csv", "results-xlsx", "results-pdf"):
        assert results_url(published, name) in page


# The exports


def page_totals(client, url) -> list[str]:
    page = client.get(url).content.decode()
    return [
        cell.split(">", 1)[1].split("<", 1)[0]
        for cell in page.split('<td class="text-end fw-bold result-total')[1:]
    ]


def test_the_csv_has_the_page_s_columns_and_numbers(client, world, published):
    client.force_login(world.staff)
    response = client.get(results_url(published, "results-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "ket-qua-cham-diem-bac-bo-2024.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 7  # rank, name, I, bonus, penalty, total, classification
    assert rows[0][2].startswith("I (") and "30,00" in rows[0][2]
    totals = [row[5] for row in rows[1:]]
    assert [t.replace(".", ",") for t in totals] == page_totals(client, results_url(published))
    for row in rows[1:]:  # the total is the subtotals plus the bonus less the penalty
        assert D(row[2]) + D(row[3]) - D(row[4]) == D(row[5])


def test_the_workbook_has_numbers_that_add_up_to_the_totals(client, world, published):
    client.force_login(world.reviewer)
    response = client.get(results_url(published, "results-xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert "2024" in values[0][0]
    header, rows = values[1], values[2:]
    assert len(header) == 7
    assert len(rows) == 4
    for _rank, _name, base, bonus, penalty, total, _classification in rows:
        assert isinstance(total, int | float)
        assert round(base + bonus - penalty, 2) == round(total, 2)
    assert [f"{row[5]:.2f}".replace(".", ",") for row in rows] == page_totals(
        client, results_url(published)
    )


def test_exports_before_publication_say_they_are_provisional(client, world, provisional):
    client.force_login(world.secretariat)
    response = client.get(results_url(provisional, "results-xlsx"))
    assert "tam-tinh" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "(tạm tính)" in sheet["A1"].value


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, world, published):
    Membership.objects.filter(department=world.bacninh).update(full_name="=HYPERLINK(1)")
    client.force_login(world.staff)
    content = client.get(results_url(published, "results-csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content
