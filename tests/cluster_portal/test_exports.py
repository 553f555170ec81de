"""The spreadsheet writers (``cluster_portal.exports``): formula injection, dates, BOM."""

import csv
import datetime
import io

import openpyxl

from cluster_portal import exports

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text():
    rows = read_csv(exports.table_csv(["Tên"], [[value] for value in HOSTILE]))
    assert [row[0] for row in rows[1:]] == [f"'{value}" for value in HOSTILE]


def test_the_csv_starts_with_a_byte_order_mark_and_keeps_vietnamese_text():
    content = exports.table_csv(["Tên"], [["Sở Nội vụ Hà Nội"]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert read_csv(content)[1] == ["Sở Nội vụ Hà Nội"]


def test_the_csv_writes_dates_as_day_month_year():
    rows = read_csv(exports.table_csv(["Ngày"], [[datetime.date(2026, 3, 9)]]))
    assert rows[1] == ["09/03/2026"]


def test_an_xlsx_cell_starting_with_equals_is_stored_as_text_not_a_formula():
    sheet = read_xlsx(exports.table_xlsx(["Tên"], [["=1+1"]], title="Tiêu đề", sheet_title="Bảng"))
    assert sheet["A3"].value == "=1+1"
    assert sheet["A3"].data_type == "s"


def test_the_xlsx_has_the_title_the_header_then_the_rows_with_dates_as_dates():
    sheet = read_xlsx(
        exports.table_xlsx(
            ["Tên", "Ngày"],
            [["Hội nghị", datetime.date(2026, 3, 9)]],
            title="Cụm Bắc Bộ",
            sheet_title="Hoạt động",
        )
    )
    assert sheet.title == "Hoạt động"
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Cụm Bắc Bộ", None),
        ("Tên", "Ngày"),
        ("Hội nghị", datetime.datetime(2026, 3, 9)),
    ]
    assert sheet["B3"].number_format == "DD/MM/YYYY"


def test_table_render_gives_the_format_asked_for():
    as_csv = exports.table_render(["A"], [[1]], file_format=exports.CSV, title="t", sheet_title="s")
    as_xlsx = exports.table_render(
        ["A"], [[1]], file_format=exports.XLSX, title="t", sheet_title="s"
    )
    assert as_csv.startswith(b"\xef\xbb\xbf")
    assert as_xlsx.startswith(b"PK")
