"""Input formats for dates in forms: day/month/year, as the portal writes dates.

Django's Vietnamese locale defines no input formats, so it fell back to the global defaults,
which read 05/06/2026 as 6 May (month first). Only the input formats are set here; every
other format falls through to Django's own locale module (FORMAT_MODULE_PATH).
ISO dates (2026-05-24) stay accepted: unambiguous, and what scripts and tests post.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
]
