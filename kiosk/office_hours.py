"""Office hours for the kiosk's "where to go" screen, read from the country's schedule."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.sla import schedule_for


def _hhmm(value) -> str:
    return value.strftime("%H:%M")


def office_hours(*, country: str) -> dict:
    """The country's opening hours as screen lines, and whether the office is open right now."""
    schedule = schedule_for(country)
    now = timezone.now()
    rows = [
        {
            "day": _("Monday to Friday"),
            "hours": f"{_hhmm(schedule.opens_at)}–{_hhmm(schedule.closes_at)}",
        }
    ]
    if schedule.lunch_starts_at and schedule.lunch_ends_at:
        rows.append(
            {
                "day": _("Lunch break"),
                "hours": f"{_hhmm(schedule.lunch_starts_at)}–{_hhmm(schedule.lunch_ends_at)}",
            }
        )
    rows.append({"day": _("Saturday, Sunday and public holidays"), "hours": _("Closed")})
    open_now = schedule.is_open(now)
    next_opening = schedule.next_opening(now).astimezone(schedule.tz)
    return {
        "rows": rows,
        "open_now": open_now,
        "status": _("Open now")
        if open_now
        else _("Closed now. Opens %(when)s.") % {"when": next_opening.strftime("%Y-%m-%d %H:%M")},
    }
