"""The channel hub's rows: the outbox, operator-edited message texts, callback requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, Conversation, Interaction, Language


class OutboundMessage(models.Model):
    """One message the system decided to send: the outbox row.

    The row is written in the same transaction as the decision, and a Celery task delivers it
    after commit; a crash in between leaves a ``pending`` row to pick up, never a lost message,
    and a task that runs twice finds the row no longer pending and sends nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by a worker and being handed to the provider: committed before the call, so
        # a worker that dies mid-send leaves a row to check with the provider, never a resend.
        SENDING = "sending", _("Being handed to the provider")
        QUEUED = "queued", _("Accepted by the provider")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Undelivered")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent (opted out or no consent)")

    class Purpose(models.TextChoices):
        NOTIFICATION = "notification", _("Notification")
        REPLY = "reply", _("Reply to the citizen")
        # The automatic answer to a keyword the citizen sent (HELP, STOP, STATUS...).
        KEYWORD = "keyword", _("Answer to a keyword")

    class Transport(models.TextChoices):
        NONE = "", _("Not sent yet")
        LOCAL = "local", _("Local outbox (no provider configured)")
        TWILIO = "twilio", _("Twilio")
        TELEGRAM = "telegram", _("Telegram Bot API")

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="outbound_messages")
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    channel = models.CharField(_("channel"), max_length=20)
    address = models.CharField(_("address"), max_length=64)
    body = models.TextField(_("text"))
    # What the channel needs besides the text, e.g. Telegram's reply markup (buttons).
    options = models.JSONField(_("channel options"), default=dict, blank=True)
    template_code = models.CharField(_("template"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    transport = models.CharField(max_length=10, choices=Transport.choices, blank=True)
    provider_message_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a retry after a temporary error is due.")
    )
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=255, blank=True)
    dedupe_key = models.CharField(
        max_length=150,
        null=True,
        blank=True,
        unique=True,
        help_text=_("One case event notifies one address once."),
    )
    interaction = models.OneToOneField(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_message",
        help_text=_("How the message shows on the citizen's timeline."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # The case the message is about, whoever it went to (the person, a relative who asked for
    # them): the case page lists every message sent about the case.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a worker last took the message to send it.")
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_status_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.address}: {self.body[:40]}"


class EarlyDeliveryStatus(models.Model):
    """A provider's delivery report that came before we had recorded the message's id.

    Twilio may call the status callback ("sent") before the delivery batch that sent the
    message has committed Twilio's answer. The report waits here and is applied as soon as the
    id is recorded, whichever side comes second (``channels_app.outbound.early_statuses_apply``).
    """

    channel = models.CharField(max_length=20)
    provider_message_id = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=12, choices=OutboundMessage.Status.choices)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("early delivery report")
        verbose_name_plural = _("early delivery reports")

    def __str__(self) -> str:
        return f"{self.channel} {self.provider_message_id}: {self.status}"


class MessageTemplate(models.Model):
    """An operator's wording of a citizen-facing text; the code holds the defaults."""

    code = models.CharField(_("code"), max_length=50)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    body = models.TextField(
        _("text"),
        help_text=_("Placeholders in braces, e.g. {number}, are filled in when sending."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="template_once_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.code} [{self.language}]"


class CallbackRequest(models.Model):
    """A citizen asked to be called back: a task for the call-centre agents."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a call")
        DONE = "done", _("Called back")
        CANCELLED = "cancelled", _("Cancelled")

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="callback_requests")
    channel = models.CharField(_("requested on"), max_length=20)
    phone = models.CharField(_("phone to call"), max_length=64)
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_requests",
    )
    due_at = models.DateTimeField(_("call by"), db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_requests",
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        constraints = [
            # A citizen texting CALL three times is one task, not three.
            models.UniqueConstraint(
                fields=["contact"], condition=Q(status="open"), name="one_open_callback_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phone} by {self.due_at:%Y-%m-%d %H:%M}"


class InboundReply(models.Model):
    """What the hub answered to one inbound message: its keyword and the answer sent.

    Its presence says the message's keyword already ran, so processing it again answers
    nothing twice; the free-text acknowledgement's quiet period is read from these rows.
    """

    inbound = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="+")
    command = models.CharField(max_length=20, blank=True)
    reply_text = models.TextField(blank=True)
    reply_interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inbound reply")
        verbose_name_plural = _("inbound replies")

    def __str__(self) -> str:
        return f"{self.command or 'message'} -> {self.reply_text[:40]}"


class InboundDelivery(models.Model):
    """One raw delivery from a provider's webhook, stored before anything else happens.

    The webhook writes the row in one INSERT and answers at once; a worker turns it into the
    contact, conversation and interaction through the channel's ``ChannelType.inbound_process``
    (see ``channels_app.intake``). The unique (channel, provider id) makes a provider's retry
    find the row it already delivered, so it answers the same and nothing happens twice.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, waiting for a worker")
        RETRYING = "retrying", _("Failed, will be tried again")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Failed (re-run it from the admin)")
        REJECTED = "rejected", _("Refused (the reason is kept)")

    channel = models.CharField(_("channel"), max_length=20)
    provider_id = models.CharField(
        _("provider's delivery id"),
        max_length=64,
        help_text=_("The provider's message or update id (a hash of the request without one)."),
    )
    sender = models.CharField(
        _("sender"),
        max_length=128,
        blank=True,
        help_text=_("As the provider sent it: one sender's deliveries are processed in order."),
    )
    payload = models.JSONField(_("request"), default=dict)
    # Which drainer takes this sender's deliveries: lane modulo INBOUND_DRAINERS (see
    # ``channels_app.intake.lane_of``), so drainers never queue behind one another's senders.
    lane = models.PositiveSmallIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound delivery")
        verbose_name_plural = _("inbound deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id"], name="inbound_delivery_once_per_channel"
            )
        ]
        indexes = [
            # The sweep's look-up: deliveries still waiting, oldest first.
            models.Index(
                fields=["status", "received_at"],
                condition=Q(status__in=["received", "retrying"]),
                name="inbound_delivery_waiting_idx",
            ),
            # The head of one sender's queue.
            models.Index(fields=["channel", "sender", "id"], name="inbound_delivery_sender_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.provider_id} ({self.status})"


class DeferredTask(models.Model):
    """A side effect whose task could not be queued (the broker was unreachable).

    Kept in the database instead of being lost; ``channels_app.dispatch.deferred_tasks_run``
    queues it again once the broker is back (Celery beat, every minute).
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")

    def __str__(self) -> str:
        return f"{self.task} {self.args} {self.kwargs}"


class CaseEventNotified(models.Model):
    """A case event whose citizens' notifications were decided (sent, suppressed or none).

    The notification sweep looks for recent case events without this row.
    """

    event = models.OneToOneField(
        "cases.CaseEvent", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    messages = models.PositiveSmallIntegerField(default=0)
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notified case event")
        verbose_name_plural = _("notified case events")

    def __str__(self) -> str:
        return f"case event {self.event_id}: {self.messages} message(s)"
