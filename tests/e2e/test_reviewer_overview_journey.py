"""A Ministry reviewer opens the reports, filters to 2019 and downloads the Excel export."""

import io

import openpyxl
import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e


@pytest.fixture
def full_demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def test_reviewer_filters_the_overview_to_2019_and_downloads_the_excel_export(
    full_demo, login, page
):
    login("reviewer")
    # By address, not by label: the interface is in Vietnamese by default.
    page.locator("#main-nav a[href='/reports/']").click()
    page.select_option("#id_year", "2019")
    page.locator("#report-filters [type=submit]").click()
    assert "year=2019" in page.url
    assert page.locator("#id_year").input_value() == "2019"
    assert page.locator("table.report-overview tbody tr").count() == 3
    with page.expect_download() as download_info:
        page.locator("a[href^='/reports/overview.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename == "tong-hop-cum-thi-dua-2019.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert {row[1] for row in rows[2:]} == {2019}
    assert len(rows[2:]) == 3
