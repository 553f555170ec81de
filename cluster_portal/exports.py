"""Tables as CSV and Excel (.xlsx) files: the one set of spreadsheet writers of the portal.

The CSV is UTF-8 with a byte order mark, so Excel opens Vietnamese text correctly, with
dates as DD/MM/YYYY; the workbook has one sheet (a title row, the header row, then the rows)
with dates as dates. Both guard against formula injection: a text cell that a spreadsheet
would read as a formula is written as text.

Apps build ``(header, rows)`` and hand them to ``table_render`` (or ``table_csv`` /
``table_xlsx``); an app's own columns (e.g. ``plans.exports`` for a work plan's activities)
live in that app.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """``value``, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def table_csv(header, rows) -> bytes:
    """Any table as UTF-8 CSV with BOM; dates become DD/MM/YYYY, formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else csv_safe(v) for v in row]
        )
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(header, rows, *, title: str, sheet_title: str, widths=None) -> bytes:
    """Any table as one sheet: a title row, the header row, then the rows; dates are dates.

    ``widths`` are the column widths in characters; by default each follows its heading.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif hasattr(cell.value, "strftime"):
                cell.number_format = "DD/MM/YYYY"
    if widths is None:
        widths = [max(10, min(50, len(name) + 4)) for name in header]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_render(header, rows, *, file_format: str, title: str, sheet_title: str) -> bytes:
    """The table as ``file_format`` (``CSV`` or ``XLSX``)."""
    if file_format == CSV:
        return table_csv(header, rows)
    return table_xlsx(header, rows, title=title, sheet_title=sheet_title)
