"""Each country's office hours and its calendar of days moved by decree (data in the admin).

Deadlines, callbacks, the hotline's open/closed greeting and the kiosks all read these rows
through ``cases.sla``; nothing else keeps its own idea of when the welfare office is open.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    MN = "MN", _("Mongolia")
    KZ = "KZ", _("Kazakhstan")


# What a country gets until an operator edits its row (the data migration loads the same).
# Mongolian state offices work 08:30-17:30 with lunch 12:30-13:30; Kazakh state bodies
# 09:00-18:30 with lunch 13:00-14:30. Both keep Saturday and Sunday off.
DEFAULT_OFFICE_HOURS: dict[str, dict[str, object]] = {
    "MN": {
        "time_zone": "Asia/Ulaanbaatar",
        "opens_at": dt.time(8, 30),
        "closes_at": dt.time(17, 30),
        "lunch_starts_at": dt.time(12, 30),
        "lunch_ends_at": dt.time(13, 30),
    },
    "KZ": {
        "time_zone": "Asia/Almaty",
        "opens_at": dt.time(9, 0),
        "closes_at": dt.time(18, 30),
        "lunch_starts_at": dt.time(13, 0),
        "lunch_ends_at": dt.time(14, 30),
    },
}
DEFAULT_FIRST_REPLY_MINUTES = 120
DEFAULT_CALLBACK_MINUTES = 120
DEFAULT_ESCALATE_AFTER_MINUTES = 240


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a time zone name such as Asia/Ulaanbaatar."),
            params={"value": value},
        ) from exc


class OfficeHours(models.Model):
    """When a country's welfare offices are open, Monday to Friday on working days."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices, unique=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("An IANA name, e.g. Asia/Ulaanbaatar or Asia/Almaty."),
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    lunch_starts_at = models.TimeField(_("lunch break starts"), null=True, blank=True)
    lunch_ends_at = models.TimeField(_("lunch break ends"), null=True, blank=True)
    first_reply_minutes = models.PositiveIntegerField(
        _("first reply within (minutes of office time)"),
        default=DEFAULT_FIRST_REPLY_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 30)],
        help_text=_("How long a citizen's new message may wait for a staff reply."),
    )
    callback_minutes = models.PositiveIntegerField(
        _("call back within (minutes of office time)"),
        default=DEFAULT_CALLBACK_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 30)],
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate a missed deadline after (minutes of office time)"),
        default=DEFAULT_ESCALATE_AFTER_MINUTES,
        validators=[MaxValueValidator(60 * 24 * 30)],
        help_text=_("Grace period before the supervisor above the worker is told."),
    )

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["country"]

    def __str__(self) -> str:
        lunch = (
            f", {self.lunch_starts_at:%H:%M}-{self.lunch_ends_at:%H:%M}"
            if self.lunch_starts_at and self.lunch_ends_at
            else ""
        )
        return f"{self.country} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}{lunch}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("The office must close after it opens.")})
        if (self.lunch_starts_at is None) != (self.lunch_ends_at is None):
            raise ValidationError(
                {"lunch_ends_at": _("Give both ends of the lunch break, or neither.")}
            )
        times = (self.opens_at, self.lunch_starts_at, self.lunch_ends_at, self.closes_at)
        if all(times) and not (times[0] < times[1] < times[2] < times[3]):
            raise ValidationError(
                {"lunch_starts_at": _("The lunch break must lie within the opening hours.")}
            )


class CalendarOverride(models.Model):
    """A date a decree made a working day (a Saturday) or a day off (a bridge day)."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: the offices work this day. Unticked: a day off."),
    )
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("The decree or resolution.")
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["country", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["country", "date"], name="calendar_override_unique")
        ]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.country} {self.date:%Y-%m-%d} {kind}"
