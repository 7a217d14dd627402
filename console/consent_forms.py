"""Forms a staff member fills for a citizen's consent: recording it as given aloud or on
paper, and recording its withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Channel, Consent

# How the person told us, as a staff member sees it: at the office, on a call, in a chat.
HOW_CHOICES = [
    (Channel.WALK_IN, _("At the office, in person")),
    (Channel.VOICE, _("On a phone call")),
    (Channel.SMS, _("By SMS")),
    (Channel.TELEGRAM, _("On Telegram")),
    (Channel.KIOSK, _("At a kiosk")),
]


class ConsentRecordForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Consent to"),
        choices=[
            (Consent.Purpose.DATA_PROCESSING, _("Processing their personal data")),
            (Consent.Purpose.NOTIFICATIONS, _("Being messaged about their requests")),
        ],
    )
    method = forms.ChoiceField(
        label=_("How it was given"),
        choices=[
            (Consent.Method.VERBAL, _("Said aloud to me")),
            (Consent.Method.SIGNED_FORM, _("Signed the paper form")),
        ],
    )
    channel = forms.ChoiceField(label=_("Where"), choices=HOW_CHOICES)


class ConsentWithdrawForm(forms.Form):
    channel = forms.ChoiceField(label=_("How the person asked"), choices=HOW_CHOICES)
    reason = forms.CharField(
        label=_("Reason (as the person said it)"), max_length=255, required=False
    )
