from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .intake import inbound_rerun
from .models import (
    CallbackRequest,
    InboundDelivery,
    InboundReply,
    MessageTemplate,
    OutboundMessage,
)
from .segments import sms_segments
from .texts import DEFAULTS, text_default


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbox: on the embedded default, this is where "sent" SMS can be read."""

    list_display = [
        "created_at",
        "contact",
        "channel",
        "address",
        "short_body",
        "status",
        "transport",
        "template_code",
        "attempts",
        "error_code",
    ]
    list_filter = ["status", "channel", "transport", "purpose", "template_code", "language"]
    search_fields = ["address", "body", "provider_message_id", "dedupe_key"]
    date_hierarchy = "created_at"
    list_select_related = ["contact"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields] + ["segments"]
    actions = ["retry_failed"]

    def has_add_permission(self, request) -> bool:
        # A message is sent by message_send (opt-out, consent, timeline), never typed in here.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("text"))
    def short_body(self, obj: OutboundMessage) -> str:
        return obj.body if len(obj.body) <= 60 else obj.body[:57] + "..."

    @admin.display(description=_("SMS segments"))
    def segments(self, obj: OutboundMessage) -> str:
        return str(sms_segments(obj.body))

    @admin.action(description=_("Send failed or undelivered messages again"))
    def retry_failed(self, request, queryset) -> None:
        from .outbound import _schedule_delivery

        retried = 0
        for message in queryset.filter(
            status__in=[OutboundMessage.Status.FAILED, OutboundMessage.Status.UNDELIVERED]
        ):
            # A fresh run of attempts: the operator fixed whatever made it fail.
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=OutboundMessage.Status.PENDING, attempts=0, next_attempt_at=None
            )
            transaction.on_commit(lambda pk=message.pk: _schedule_delivery(pk), robust=True)
            retried += 1
        self.message_user(request, _("%d message(s) queued again.") % retried, messages.SUCCESS)


class MessageTemplateForm(forms.ModelForm):
    code = forms.ChoiceField(
        label=_("code"),
        choices=[(code, f"{code}: {purpose}") for code, (purpose, _texts) in DEFAULTS.items()],
    )

    class Meta:
        model = MessageTemplate
        fields = ["code", "language", "body"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Operators reword citizen texts here; a missing row means the default in code is used."""

    form = MessageTemplateForm
    list_display = ["code", "language", "body", "characters", "segments"]
    list_filter = ["language", "code"]
    search_fields = ["code", "body"]
    readonly_fields = ["purpose", "default_text", "segments", "default_segments"]
    fields = ["code", "language", "purpose", "default_text", "default_segments", "body", "segments"]

    @admin.display(description=_("characters"))
    def characters(self, obj: MessageTemplate) -> int:
        return len(obj.body)

    @admin.display(description=_("SMS segments"))
    def segments(self, obj: MessageTemplate) -> str:
        return str(sms_segments(obj.body)) if obj.body else "-"

    @admin.display(description=_("what it is for"))
    def purpose(self, obj: MessageTemplate) -> str:
        return DEFAULTS[obj.code][0] if obj.code in DEFAULTS else "-"

    @admin.display(description=_("default text"))
    def default_text(self, obj: MessageTemplate) -> str:
        return text_default(obj.code, obj.language) if obj.code in DEFAULTS else "-"

    @admin.display(description=_("default text's SMS segments"))
    def default_segments(self, obj: MessageTemplate) -> str:
        if obj.code not in DEFAULTS:
            return "-"
        return str(sms_segments(text_default(obj.code, obj.language)))


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = ["due_at", "contact", "phone", "channel", "status", "assignee", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["phone", "contact__search_name", "note"]
    list_select_related = ["contact", "assignee"]
    raw_id_fields = ["contact", "interaction"]
    autocomplete_fields = ["assignee"]


@admin.register(InboundReply)
class InboundReplyAdmin(admin.ModelAdmin):
    list_display = ["created_at", "inbound", "command", "reply_text"]
    list_filter = ["command"]
    readonly_fields = [
        "inbound",
        "command",
        "reply_text",
        "reply_interaction",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(InboundDelivery)
class InboundDeliveryAdmin(admin.ModelAdmin):
    """Every webhook delivery as the provider sent it; failed ones are re-run from here."""

    list_display = [
        "received_at",
        "channel",
        "sender",
        "provider_id",
        "status",
        "attempts",
        "error",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["provider_id", "sender", "error"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in InboundDelivery._meta.fields]
    actions = ["rerun"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # What a citizen sent is never thrown away from here.
        return False

    @admin.action(description=_("Process failed deliveries again"))
    def rerun(self, request, queryset) -> None:
        with transaction.atomic():
            count = inbound_rerun(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%d delivery(ies) queued again.") % count, messages.SUCCESS)
