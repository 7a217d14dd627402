"""Kiosk devices and the citizen sessions that happen on them.

Secrets (device tokens, pairing codes, session keys, one-time codes) are stored only as
hashes: a copy of the database opens no kiosk and no citizen's data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import AdminUnit, Contact, Interaction, Language


class Kiosk(models.Model):
    """A touch-screen device in a public place, registered by an operator to one unit."""

    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("location (unit)"),
        on_delete=models.PROTECT,
        related_name="kiosks",
        help_text=_("Where the kiosk stands; its office and country follow from it."),
    )
    is_active = models.BooleanField(
        _("enabled"), default=True, help_text=_("A disabled kiosk is refused at once.")
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    pairing_code_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    pairing_code_expires_at = models.DateTimeField(
        _("pairing code valid until"), null=True, blank=True, editable=False
    )
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self) -> str:
        return self.name

    def is_stale(self, now: dt.datetime | None = None) -> bool:
        """Not heard from for longer than ``KIOSK_STALE_MINUTES`` (or never)."""
        if self.last_seen_at is None:
            return True
        now = now or timezone.now()
        return now - self.last_seen_at > dt.timedelta(minutes=settings.KIOSK_STALE_MINUTES)


class KioskSession(models.Model):
    """One citizen at one kiosk: from typing the national ID to "Finish" or the idle wipe."""

    class State(models.TextChoices):
        CODE_SENT = "code_sent", _("Waiting for the code")
        ACTIVE = "active", _("Identified")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        NONE = "", _("Not ended")
        FINISHED = "finished", _("The citizen finished")
        IDLE = "idle", _("Idle: wiped")
        REPLACED = "replaced", _("Another citizen started")
        EXPIRED = "expired", _("Expired")
        LOCKED = "locked", _("Too many wrong codes")

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="sessions")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        related_name="kiosk_sessions",
        help_text=_("Whose code was sent; their data opens only once the code is entered."),
    )
    national_id_masked = models.CharField(_("national ID (masked)"), max_length=20)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.MN)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CODE_SENT)
    end_reason = models.CharField(
        max_length=10, choices=EndReason.choices, blank=True, default=EndReason.NONE
    )
    code_hash = models.CharField(max_length=64, editable=False)
    code_expires_at = models.DateTimeField()
    code_attempts = models.PositiveSmallIntegerField(default=0)
    code_channel = models.CharField(max_length=20)
    code_address = models.CharField(
        max_length=64, help_text=_("Where the code went: a phone number or chat id on record.")
    )
    visit = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The visit on the citizen's timeline."),
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kiosk session")
        verbose_name_plural = _("kiosk sessions")
        indexes = [
            models.Index(
                fields=["kiosk"], condition=~Q(state="ended"), name="kiosk_session_live_idx"
            ),
            models.Index(fields=["contact", "created_at"], name="kiosk_session_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kiosk} {self.national_id_masked} {self.get_state_display()}"
