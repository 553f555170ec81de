"""Activities of a work plan as CSV and Excel (.xlsx), for reports and for re-use.

The CSV is UTF-8 with a byte order mark, so Excel opens Vietnamese text correctly; both
files have the same columns, with dates as dates (DD/MM/YYYY in the CSV).
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def _columns():
    return [
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


def _row(number, activity, *, for_csv: bool):
    def day(value):
        return value.strftime("%d/%m/%Y") if for_csv else value

    def time(value):
        return value.strftime("%H:%M") if value else ""

    return [
        number,
        activity.title,
        activity.get_kind_display(),
        activity.host.full_name if activity.host_id else "",
        day(activity.starts_on),
        day(activity.ends_on),
        time(activity.start_time),
        time(activity.end_time),
        activity.venue,
        activity.get_status_display(),
        activity.progress,
        activity.outcome_notes,
        _("yes") if activity.is_illustrative else "",
    ]


# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def activities_csv(activities) -> bytes:
    """UTF-8 with BOM, comma-separated, one header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_columns())
    for number, activity in enumerate(activities, start=1):
        writer.writerow([_csv_safe(v) for v in _row(number, activity, for_csv=True)])
    return buffer.getvalue().encode("utf-8-sig")


def activities_xlsx(activities, *, title: str) -> bytes:
    """One sheet: a title row, the header row, one row per activity; dates are dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Activities")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(_columns())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, activity in enumerate(activities, start=1):
        sheet.append(_row(number, activity, for_csv=False))
    for row in sheet.iter_rows(min_row=3):
        row[4].number_format = row[5].number_format = "DD/MM/YYYY"
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    widths = [6, 50, 18, 32, 12, 12, 8, 8, 30, 14, 10, 50, 10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Generic tables, for other apps' exports (reports): same CSV dialect and the same guards.


def table_csv(header, rows) -> bytes:
    """Any table as UTF-8 CSV with BOM; dates become DD/MM/YYYY, formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else _csv_safe(v) for v in row]
        )
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(header, rows, *, title: str, sheet_title: str) -> bytes:
    """Any table as one sheet: a title row, the header row, then the rows; dates are dates."""
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
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(name) + 4))
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
