"""Export contents, read back with csv and openpyxl."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.helpers import WORLD_YEAR, covenant_for

pytestmark = pytest.mark.django_db

A_YEAR = {"code": "bac-bo", "year": WORLD_YEAR}


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def reviewer_client(client, world):
    client.force_login(world.reviewer)
    return client


def test_the_overview_csv_has_one_row_per_cluster_with_its_figures(reviewer_client, world):
    covenant_for(world.year_a, signed=[world.hanoi, world.haiphong])
    rows = read_csv(reviewer_client.get(reverse("reports:overview-csv"), {"cluster": "bac-bo"}))
    assert len(rows) == 2
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert row[0] == world.cluster_a.name
    assert row[2] == world.hanoi.full_name
    assert [row[4], row[6], row[7]] == ["4", "2", "50"]
    assert len(record) == 12


def test_the_overview_xlsx_has_a_title_header_and_the_filtered_rows(reviewer_client, world):
    response = reviewer_client.get(reverse("reports:overview-xlsx"), {"q": "quang ninh"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response)
    assert str(WORLD_YEAR) in rows[0][0]
    assert [r[0] for r in rows[2:]] == [world.cluster_b.name]
    assert rows[2][4] == 2


def test_the_members_csv_lists_the_members_as_named_that_year(reviewer_client, world):
    url = reverse("reports:clusteryear-export-csv", kwargs={**A_YEAR, "table": "members"})
    rows = read_csv(reviewer_client.get(url))
    assert sorted(r[1] for r in rows[1:]) == sorted(
        d.full_name for d in (world.hanoi, world.vinhphuc, world.haiphong, world.bacninh)
    )


def test_the_signatures_xlsx_has_every_member_with_its_response(reviewer_client, world):
    covenant_for(world.year_a, signed=[world.haiphong])
    url = reverse("reports:clusteryear-export-xlsx", kwargs={**A_YEAR, "table": "signatures"})
    rows = read_xlsx(reviewer_client.get(url))[2:]
    by_department = {r[1]: r for r in rows}
    assert len(rows) == 4
    assert by_department[world.haiphong.full_name][5] == "Nguyễn Văn Hùng"
    assert by_department[world.hanoi.full_name][5] in (None, "")


def test_the_activities_export_reuses_the_plans_format(reviewer_client, world):
    import datetime

    from tests.helpers import plan_for

    plan_for(world.year_a, ("done", 100, datetime.date(WORLD_YEAR, 3, 1)))
    url = reverse("reports:clusteryear-export-xlsx", kwargs={**A_YEAR, "table": "activities"})
    rows = read_xlsx(reviewer_client.get(url))
    assert len(rows) == 3
    assert rows[2][4] == datetime.datetime(WORLD_YEAR, 3, 1)


def test_the_history_export_marks_roles_by_year(reviewer_client, world):
    rows = read_csv(
        reviewer_client.get(reverse("reports:cluster-history-csv", kwargs={"code": "bac-bo"}))
    )
    assert rows[0] == ["Department", str(WORLD_YEAR)] or rows[0][1] == str(WORLD_YEAR)
    by_department = {r[0]: r[1] for r in rows[1:]}
    assert by_department[world.haiphong.full_name] != ""
    assert by_department[world.hanoi.full_name] != by_department[world.haiphong.full_name]


def test_a_formula_in_a_name_is_exported_as_text(reviewer_client, world):
    world.year_a.memberships.filter(department=world.bacninh).update(full_name="=HYPERLINK(1)")
    url = reverse("reports:clusteryear-export-csv", kwargs={**A_YEAR, "table": "members"})
    names = [r[1] for r in read_csv(reviewer_client.get(url))[1:]]
    assert "'=HYPERLINK(1)" in names
