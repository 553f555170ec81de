"""Exports of a plan's activities, read back with the csv module and openpyxl."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Activity
from tests.factories import ActivityFactory
from tests.helpers import WORLD_YEAR

pytestmark = pytest.mark.django_db

YEAR = {"code": "bac-bo", "year": WORLD_YEAR}


@pytest.fixture
def activities(world, plan):
    return [
        ActivityFactory(
            work_plan=plan,
            title="Hội nghị sơ kết 6 tháng đầu năm",
            kind=Activity.Kind.MID_YEAR_REVIEW,
            host=world.haiphong,
            starts_on=datetime.date(2024, 7, 12),
            ends_on=datetime.date(2024, 7, 12),
            start_time=datetime.time(8, 30),
            venue="Hải Phòng",
            status=Activity.Status.DONE,
            progress=100,
            outcome_notes="Đánh giá kết quả 6 tháng; thống nhất nhiệm vụ trọng tâm.",
        ),
        ActivityFactory(
            work_plan=plan,
            title='=HYPERLINK("http://example.invalid")',
            host=world.vinhphuc,
            starts_on=datetime.date(2024, 3, 4),
            ends_on=datetime.date(2024, 3, 5),
            is_illustrative=True,
        ),
    ]


def export(client, user, name):
    client.force_login(user)
    return client.get(reverse(f"plans:{name}", kwargs=YEAR))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_starts_with_a_byte_order_mark_for_excel(client, world, activities):
    response = export(client, world.staff, "activity-export-csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hoat-dong-bac-bo-2024.csv"' in response["Content-Disposition"]


def test_the_csv_has_one_row_per_activity_in_date_order_with_vietnamese_intact(
    client, world, activities
):
    rows = csv_rows(export(client, world.staff, "activity-export-csv"))
    assert len(rows) == 3
    first = rows[2]
    assert first[1] == "Hội nghị sơ kết 6 tháng đầu năm"
    assert first[3] == world.haiphong.full_name
    assert (first[4], first[5], first[6]) == ("12/07/2024", "12/07/2024", "08:30")
    assert (first[10], first[11]) == (
        "100",
        "Đánh giá kết quả 6 tháng; thống nhất nhiệm vụ trọng tâm.",
    )


def test_a_formula_in_a_title_stays_text_in_the_csv(client, world, activities):
    rows = csv_rows(export(client, world.staff, "activity-export-csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://example.invalid")'


def test_the_excel_file_opens_with_one_row_per_activity_and_real_dates(client, world, activities):
    response = export(client, world.staff, "activity-export-xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == activities[0].work_plan.title
    assert len(rows) == 4  # title, header, two activities
    second = rows[3]
    assert second[1] == "Hội nghị sơ kết 6 tháng đầu năm"
    assert second[4] == datetime.datetime(2024, 7, 12)
    assert (second[6], second[7], second[10]) == ("08:30", None, 100)


def test_a_formula_in_a_title_stays_text_in_excel(client, world, activities):
    response = export(client, world.staff, "activity-export-xlsx")
    cell = load_workbook(io.BytesIO(response.content)).active["B3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.invalid")', "s")


def test_both_exports_have_the_same_columns(client, world, activities):
    header_csv = csv_rows(export(client, world.staff, "activity-export-csv"))[0]
    sheet = load_workbook(io.BytesIO(export(client, world.staff, "activity-export-xlsx").content))
    header_xlsx = [cell.value for cell in sheet.active[2]]
    assert header_csv == header_xlsx


def test_illustrative_activities_are_marked_in_the_export(client, world, activities):
    rows = csv_rows(export(client, world.staff, "activity-export-csv"))
    assert [row[12] != "" for row in rows[1:]] == [True, False]


@pytest.mark.parametrize("name", ["activity-export-csv", "activity-export-xlsx"])
def test_another_cluster_cannot_export_the_plan(client, world, activities, name):
    assert export(client, world.outsider, name).status_code == 404
