"""The hotline's rows: calls, the steps Twilio asked for, and the prompt catalogue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, Conversation, Interaction, Language


class Call(models.Model):
    """One phone call through Twilio, in or out; its timeline entry is ``interaction``."""

    class Purpose(models.TextChoices):
        HOTLINE = "hotline", _("Citizen called the hotline")
        AGENT_LEG = "agent_leg", _("Ringing an agent to take a waiting call")
        CLICK_TO_CALL = "click_to_call", _("Agent calling a citizen back")

    class State(models.TextChoices):
        MENU = "menu", _("In the menu")
        QUEUED = "queued", _("Waiting for an agent")
        WITH_AGENT = "with_agent", _("Talking to an agent")
        RECORDING = "recording", _("Leaving a voice message")
        RINGING = "ringing", _("Ringing")
        ENDED = "ended", _("Ended")

    call_sid = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.HOTLINE)
    state = models.CharField(max_length=12, choices=State.choices, default=State.MENU)
    direction = models.CharField(max_length=10, choices=Interaction.Direction.choices)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    interaction = models.OneToOneField(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="call"
    )
    citizen_number = models.CharField(_("citizen's number"), max_length=64, blank=True)
    caller_known = models.BooleanField(
        default=False, help_text=_("The caller's number was already a citizen's phone.")
    )
    # Gathers rendered so far: each one's action URL carries its own number, so a second
    # menu in the same call is a new step and never the replay of the first.
    steps = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    country = models.CharField(max_length=2, blank=True)
    menu_path = models.JSONField(default=list, blank=True, help_text=_("Choices made, in order."))
    queue_name = models.CharField(max_length=32, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_calls",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The agent's leg and the citizen's call are two Twilio calls; each points to the other.
    related = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    callback = models.ForeignKey(
        "channels_app.CallbackRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    twilio_status = models.CharField(max_length=20, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["state", "queue_name"], name="ivr_call_waiting_idx")]

    def __str__(self) -> str:
        return f"{self.call_sid} {self.citizen_number} ({self.state})"


class CallStep(models.Model):
    """The TwiML one step of a call answered, so Twilio retrying it gets the same and no more.

    ``key`` is the step and its attempt number as the URL carries them.
    """

    call_sid = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    response = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call step")
        verbose_name_plural = _("call steps")
        constraints = [
            models.UniqueConstraint(fields=["call_sid", "key"], name="ivr_step_once_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.call_sid} {self.key}"


def prompt_upload_to(instance: Prompt, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "wav"
    return f"ivr/prompts/{instance.language}/{instance.key}.{suffix}"


class Prompt(models.Model):
    """A recorded prompt (key x language), uploaded by the operator or rendered for a demo.

    The catalogue of keys and their texts is in ``ivr.prompts``; a row holds the audio and,
    optionally, the operator's own wording for ``<Say>``.
    """

    key = models.CharField(_("prompt"), max_length=60)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    audio = models.FileField(
        _("recording"),
        upload_to=prompt_upload_to,
        blank=True,
        help_text=_("WAV or MP3, played to callers. Mongolian must be recorded by a person."),
    )
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("What the recording says; spoken by Twilio's voice when there is no audio."),
    )
    placeholder = models.BooleanField(
        _("synthesised placeholder"),
        default=False,
        help_text=_("Rendered by a speech synthesiser for the demo, not recorded by a person."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "language"]
        verbose_name = _("voice prompt")
        verbose_name_plural = _("voice prompts")
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="ivr_prompt_once_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.language}]"
