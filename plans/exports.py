"""A work plan's activities as CSV and Excel (.xlsx): the same columns on the plans pages and
in the reports, written by the portal's spreadsheet writers (``cluster_portal.exports``)."""

from django.utils.translation import gettext as _

from cluster_portal.exports import table_csv, table_xlsx

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
