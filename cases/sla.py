"""Deadlines in working days, on the country's own holiday calendar (``holidays``)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from crm.countries import SUPPORTED_COUNTRIES, country_of

__all__ = ["SUPPORTED_COUNTRIES", "add_working_days", "country_of", "is_working_day"]


@lru_cache(maxsize=8)
def _calendar(country: str) -> holidays.HolidayBase:
    # One lazily-expanding calendar per country: it fills in years as dates are asked about.
    return holidays.country_holidays(country)


def is_working_day(day: dt.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _calendar(country)


def add_working_days(start: dt.date, days: int, country: str) -> dt.date:
    """The date ``days`` working days after ``start`` (the start day itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, country: str) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start, country)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            count += 1
    return count
