"""Formatting rules of official documents (Decree 30/2020/NĐ-CP) shared by every app."""

import datetime


def decree30_date(day: datetime.date) -> str:
    """The date as official documents write it: "ngày 24 tháng 5 năm 2019".

    Days below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 01 năm 2020").
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
