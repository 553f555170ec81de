"""iCalendar feeds of activities, for desktop and phone calendars (RFC 5545).

Activities with times become events in Asia/Ho_Chi_Minh (with its VTIMEZONE, so calendars
elsewhere show the right hour); activities without times become all-day events, whose
DTEND is the day after the last day, as the standard wants.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Cluster portal//Cum thi dua//VI"


def _description(activity, url: str) -> str:
    lines = []
    if activity.host_id:
        lines.append(_("Host: %(name)s") % {"name": activity.host.full_name})
    lines.append(_("Kind: %(kind)s") % {"kind": activity.get_kind_display()})
    lines.append(
        _("Status: %(status)s (%(progress)s%%)")
        % {"status": activity.get_status_display(), "progress": activity.progress}
    )
    if activity.is_illustrative:
        lines.append(_("Illustrative demo data, not an official record."))
    if activity.outcome_notes:
        lines.extend(["", activity.outcome_notes])
    lines.extend(["", url])
    return "\n".join(lines)


def activity_event(activity, *, base_url: str) -> Event:
    """One VEVENT for an activity; its UID stays the same across edits (SEQUENCE grows)."""
    url = f"{base_url}{activity.get_absolute_url()}"
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{base_url.split('://', 1)[-1]}")
    event.add("summary", activity.title)
    start, end = activity.local_start(), activity.local_end()
    if start is not None:
        event.add("dtstart", start)
        event.add("dtend", end if end is not None and end > start else start)
    else:
        event.add("dtstart", activity.starts_on)
        event.add("dtend", activity.ends_on + datetime.timedelta(days=1))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("sequence", activity.version - 1)
    if activity.venue:
        event.add("location", activity.venue)
    event.add("description", _description(activity, url))
    event.add("url", url)
    event.add("categories", [activity.get_kind_display()])
    event.add("status", "CANCELLED" if activity.status == "cancelled" else "CONFIRMED")
    return event


def activities_calendar(*, name: str, activities, base_url: str) -> bytes:
    """The feed as bytes: a VCALENDAR named ``name`` with one event per activity."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for activity in activities:
        calendar.add_component(activity_event(activity, base_url=base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
