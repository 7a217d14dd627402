"""What one app's demo seeder hands to the next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass
class DemoContext:
    units: dict[str, Any] = field(default_factory=dict)  # by path, e.g. "MN/UB/SHD/07/"
    staff: dict[str, Any] = field(default_factory=dict)  # by username
    contacts: dict[str, Any] = field(default_factory=dict)  # by a short demo key
    accounts: list[dict[str, str]] = field(default_factory=list)  # printed at the end
    notes: list[str] = field(default_factory=list)
    # When this run began: rows created since are this run's (a second run adds none).
    started_at: dt.datetime = field(default_factory=timezone.now)

    def account(self, user: Any, password: str) -> None:
        self.staff[user.username] = user
        if not any(a["username"] == user.username for a in self.accounts):
            self.accounts.append(
                {
                    "username": user.username,
                    "password": password,
                    "role": user.role,
                    "unit": user.unit.path if user.unit_id else "",
                }
            )
