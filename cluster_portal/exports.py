"""Tables as CSV and Excel (.xlsx) files: the one set of spreadsheet writers of the portal.

The CSV is UTF-8 with a byte order mark, so Excel opens Vietnamese text correctly, with
dates as DD/MM/YYYY; the workbook has one sheet (a title row, the header row, then the rows)
with dates as dates. Both guard against formula injection: a text cell that a spreadsheet
would read as a formula is written as text.

Apps build ``(header, rows)`` and hand them to ``table_render`` (or ``table_csv`` /
``table_xlsx``); the work plan's activities have their columns here too, because the plans
pages and the reports export the same file.
"""

import csv
import io

from django.utils.translation import gettext as _
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


# The activities of a work plan (plans pages and reports): the same columns in both files.

ACTIVITY_WIDTHS = [6, 50, 18, 32, 12, 12, 8, 8, 30, 14, 10, 50, 10]


def activities_table(activities):
    """``(header, rows)`` of the activities: dates as dates, times as HH:MM text."""
    header = [
        _("No."),
        _("Title"),
        _("Kind"),
        _("Host department"),
        _("Start date"),
        _("End date"),
        _("Start time"),
        _("End time"),
        _("Venue"),
        _("Status"),
        _("Progress (%)"),
        _("Outcome notes"),
        _("Illustrative"),
    ]

    def time(value):
        return value.strftime("%H:%M") if value else ""

    rows = [
        [
            number,
            activity.title,
            activity.get_kind_display(),
            activity.host.full_name if activity.host_id else "",
            activity.starts_on,
            activity.ends_on,
            time(activity.start_time),
            time(activity.end_time),
            activity.venue,
            activity.get_status_display(),
            activity.progress,
            activity.outcome_notes,
            _("yes") if activity.is_illustrative else "",
        ]
        for number, activity in enumerate(activities, start=1)
    ]
    return header, rows


def activities_csv(activities) -> bytes:
    """UTF-8 with BOM, comma-separated, one header row."""
    return table_csv(*activities_table(activities))


def activities_xlsx(activities, *, title: str) -> bytes:
    """One sheet: a title row, the header row, one row per activity; dates are dates."""
    header, rows = activities_table(activities)
    return table_xlsx(
        header, rows, title=title, sheet_title=_("Activities"), widths=ACTIVITY_WIDTHS
    )
