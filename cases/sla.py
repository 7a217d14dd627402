"""Working time: each country's office hours, time zone and calendar, and deadlines on them.

A country's calendar is the ``holidays`` package's public holidays plus Saturdays and Sundays,
corrected by the admin's ``CalendarOverride`` rows (both governments move working days by
decree). Its office hours (``OfficeHours``: opening, lunch break, closing, time zone) decide
which minutes count: a 30-minute step given at 17:15 in Ulaanbaatar is due at 08:45 on the next
working day, and one given at 12:20 is due at 13:50, after the lunch break.

Deadlines are ``Duration`` values: ``minutes(30)``, ``hours(4)`` or ``working_days(2)``. Minutes
and hours are counted in office time; a deadline in working days falls due when the office
closes on the N-th working day after the start (the start day itself not counted).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import holidays
from django.utils import timezone

from crm.countries import SUPPORTED_COUNTRIES, country_of

from .office_hours import DEFAULT_OFFICE_HOURS, CalendarOverride, OfficeHours

__all__ = [
    "SUPPORTED_COUNTRIES",
    "Duration",
    "Schedule",
    "add_office_time",
    "add_working_days",
    "as_duration",
    "country_of",
    "deadline_after",
    "hours",
    "is_open",
    "is_working_day",
    "local_date",
    "minutes",
    "next_opening",
    "office_time_between",
    "schedule_for",
    "step_due",
    "working_days",
    "working_days_between",
]

Unit = Literal["minutes", "hours", "working_days"]
# Far enough to cross any run of holidays; a calendar with no working day at all is an error.
_SEARCH_DAYS = 400


@dataclass(frozen=True)
class Duration:
    """How long a step may take, in office minutes, office hours or working days."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in ("minutes", "hours", "working_days"):
            raise ValueError(f"Unknown deadline unit {self.unit!r}.")
        if self.amount < 0:
            raise ValueError("A deadline cannot be negative.")

    @property
    def office_time(self) -> dt.timedelta | None:
        """The office time this duration stands for (None for working days)."""
        if self.unit == "minutes":
            return dt.timedelta(minutes=self.amount)
        if self.unit == "hours":
            return dt.timedelta(hours=self.amount)
        return None

    def __str__(self) -> str:
        short = {"minutes": "min", "hours": "h", "working_days": "wd"}[self.unit]
        return f"{self.amount} {short}"


def minutes(amount: int) -> Duration:
    return Duration(amount, "minutes")


def hours(amount: int) -> Duration:
    return Duration(amount, "hours")


def working_days(amount: int) -> Duration:
    return Duration(amount, "working_days")


def as_duration(value: Duration | int | None) -> Duration | None:
    """A declared deadline: a ``Duration``, a bare number of working days, or none."""
    if value is None or isinstance(value, Duration):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return working_days(value)
    raise TypeError(f"A deadline is a Duration or a number of working days, not {value!r}.")


@lru_cache(maxsize=8)
def _public_holidays(country: str) -> holidays.HolidayBase:
    # One lazily-expanding calendar per country: it fills in years as dates are asked about.
    return holidays.country_holidays(country)


@dataclass(frozen=True)
class Schedule:
    """One country's office hours and calendar, read once and then used for arithmetic."""

    country: str
    tz: dt.tzinfo
    opens_at: dt.time
    closes_at: dt.time
    lunch_starts_at: dt.time | None = None
    lunch_ends_at: dt.time | None = None
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    first_reply_minutes: int = 120
    callback_minutes: int = 120
    escalate_after_minutes: int = 240

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in _public_holidays(self.country)

    def local(self, at: dt.datetime) -> dt.datetime:
        return at.astimezone(self.tz)

    def periods(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The open stretches of ``day`` as aware datetimes (none on a day off)."""
        if not self.is_working_day(day):
            return []
        at = lambda t: dt.datetime.combine(day, t, tzinfo=self.tz)  # noqa: E731
        if self.lunch_starts_at and self.lunch_ends_at:
            return [
                (at(self.opens_at), at(self.lunch_starts_at)),
                (at(self.lunch_ends_at), at(self.closes_at)),
            ]
        return [(at(self.opens_at), at(self.closes_at))]

    def _periods_from(self, at: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Open stretches that end after ``at``, clipped to start no earlier than ``at``."""
        day = self.local(at).date()
        for _ in range(_SEARCH_DAYS):
            for start, end in self.periods(day):
                if end > at:
                    yield max(start, at), end
            day += dt.timedelta(days=1)
        raise ValueError(f"No working day within {_SEARCH_DAYS} days in {self.country}.")

    def is_open(self, at: dt.datetime) -> bool:
        return any(start <= at < end for start, end in self.periods(self.local(at).date()))

    def next_opening(self, at: dt.datetime) -> dt.datetime:
        """``at`` itself when the office is open then, else the moment it next opens."""
        for start, _end in self._periods_from(at):
            return start
        raise AssertionError("unreachable")  # _periods_from raises when it runs out

    def closing_time(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.closes_at, tzinfo=self.tz)

    def add_office_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The moment ``amount`` of office time after ``start`` has passed."""
        if amount <= dt.timedelta(0):
            return start
        remaining = amount
        for begin, end in self._periods_from(start):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable")

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        day = start
        remaining = days
        for _ in range(_SEARCH_DAYS * max(1, days)):
            if remaining <= 0:
                return day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        raise ValueError(f"No working day within {_SEARCH_DAYS} days in {self.country}.")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def deadline_after(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """When a step begun at ``start`` with ``duration`` to do it falls due."""
        office_time = duration.office_time
        if office_time is not None:
            return self.add_office_time(start, office_time)
        due_day = self.add_working_days(self.local(start).date(), duration.amount)
        return self.closing_time(due_day)

    def office_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time from ``start`` to ``end`` (negative when ``end`` comes first)."""
        if end < start:
            return -self.office_time_between(end, start)
        total = dt.timedelta(0)
        day = self.local(start).date()
        last = self.local(end).date()
        while day <= last:
            for begin, finish in self.periods(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > dt.timedelta(0):
                    total += overlap
            day += dt.timedelta(days=1)
        return total


def schedule_for(country: str) -> Schedule:
    """The country's schedule from the admin's rows (the defaults when it has none)."""
    row = OfficeHours.objects.filter(country=country).first()
    if row is not None:
        values: dict[str, object] = {
            "time_zone": row.time_zone,
            "opens_at": row.opens_at,
            "closes_at": row.closes_at,
            "lunch_starts_at": row.lunch_starts_at,
            "lunch_ends_at": row.lunch_ends_at,
            "first_reply_minutes": row.first_reply_minutes,
            "callback_minutes": row.callback_minutes,
            "escalate_after_minutes": row.escalate_after_minutes,
        }
    else:
        values = dict(DEFAULT_OFFICE_HOURS.get(country, DEFAULT_OFFICE_HOURS["MN"]))
    overrides = dict(
        CalendarOverride.objects.filter(country=country).values_list("date", "is_working_day")
    )
    tz = zoneinfo.ZoneInfo(str(values.pop("time_zone")))
    return Schedule(country=country, tz=tz, overrides=overrides, **values)  # type: ignore[arg-type]


# Module-level shorthands: each reads the country's schedule once.


def is_working_day(day: dt.date, country: str) -> bool:
    return schedule_for(country).is_working_day(day)


def add_working_days(start: dt.date, days: int, country: str) -> dt.date:
    """The date ``days`` working days after ``start`` (the start day itself not counted)."""
    return schedule_for(country).add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date, country: str) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    return schedule_for(country).working_days_between(start, end)


def is_open(country: str, at: dt.datetime | None = None) -> bool:
    """Whether the country's offices are open at ``at`` (now by default)."""
    return schedule_for(country).is_open(at or timezone.now())


def next_opening(country: str, at: dt.datetime | None = None) -> dt.datetime:
    """Now (or ``at``) when open, else when the country's offices next open."""
    return schedule_for(country).next_opening(at or timezone.now())


def add_office_time(start: dt.datetime, amount: dt.timedelta, country: str) -> dt.datetime:
    return schedule_for(country).add_office_time(start, amount)


def office_time_between(start: dt.datetime, end: dt.datetime, country: str) -> dt.timedelta:
    return schedule_for(country).office_time_between(start, end)


def deadline_after(
    start: dt.datetime, duration: Duration | int | None, country: str
) -> dt.datetime | None:
    """When a step begun at ``start`` falls due (None when it has no deadline)."""
    value = as_duration(duration)
    if value is None:
        return None
    return schedule_for(country).deadline_after(start, value)


def local_date(at: dt.datetime | None, country: str) -> dt.date | None:
    """The calendar date of ``at`` in the country's time zone."""
    if at is None:
        return None
    return schedule_for(country).local(at).date()


def step_due(
    start: dt.datetime, duration: Duration | int | None, country: str
) -> tuple[dt.datetime | None, dt.date | None]:
    """A step's due moment and its local calendar date (both None without a deadline)."""
    value = as_duration(duration)
    if value is None:
        return None, None
    schedule = schedule_for(country)
    due_at = schedule.deadline_after(start, value)
    return due_at, schedule.local(due_at).date()
