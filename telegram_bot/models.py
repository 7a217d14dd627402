"""What the bot keeps: each chat's dialogue and the phone numbers left for an agent.

The updates themselves are stored as received by the hub (``channels_app.InboundDelivery``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, Interaction


class TelegramChat(models.Model):
    """One Telegram user's dialogue with the bot; lives in the database so that it survives
    restarts and any worker can take the next update."""

    class Step(models.TextChoices):
        IDLE = "", _("Menu")
        SERVICE = "service", _("Choosing a service")
        FOR_WHOM = "for_whom", _("For whom")
        RELATIONSHIP = "relationship", _("Relationship")
        CONSENT = "consent", _("Consent")
        NATIONAL_ID = "national_id", _("National ID")
        CONFIRM_PERSON = "confirm_person", _("Confirming the person")
        REASON = "reason", _("Reason")
        DOCUMENTS = "documents", _("Documents")

    user_id = models.BigIntegerField(_("Telegram user id"), unique=True)
    chat_id = models.BigIntegerField(_("chat id"))
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, blank=True)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, blank=True)
    data = models.JSONField(_("answers so far"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Telegram chat")
        verbose_name_plural = _("Telegram chats")

    def __str__(self) -> str:
        return f"{self.user_id} ({self.get_step_display()})"


class LinkReview(models.Model):
    """A shared phone number that belongs to another citizen who is already known.

    The bot links nothing itself (a relative's phone is often recorded on an elderly person's
    contact): an agent decides whether to merge or to link.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    telegram_contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    phone_contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=32)
    telegram_user_id = models.BigIntegerField(_("Telegram user id"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Telegram number to check")
        verbose_name_plural = _("Telegram numbers to check")
        constraints = [
            models.UniqueConstraint(
                fields=["telegram_contact", "phone_contact"],
                condition=models.Q(status="open"),
                name="tg_one_open_review_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.phone}: #{self.telegram_contact_id} / #{self.phone_contact_id}"


def _file_path(instance: TelegramFile, filename: str) -> str:
    # A random name: the citizen's file name may carry personal data.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"telegram/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class TelegramFile(models.Model):
    """A photo or document a citizen sent to the agents, kept so the console can show it."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to=_file_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file from Telegram")
        verbose_name_plural = _("files from Telegram")

    def __str__(self) -> str:
        return self.original_name or self.file.name
