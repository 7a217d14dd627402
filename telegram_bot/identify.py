"""Who is writing: linking a Telegram user to the citizen who owns the phone they share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crm.models import Channel, Contact, Conversation, Identity, Interaction
from crm.phones import PhoneError, normalize_phone
from crm.services import contact_for_identity, contact_merge, identity_add, interaction_record

from .models import LinkReview


@dataclass(frozen=True)
class IdentifyOutcome:
    contact: Contact  # the live contact the Telegram user belongs to now
    phone: str
    linked: bool
    review: bool  # left for an agent to decide


def is_identified(*, contact: Contact, user_id: str) -> bool:
    """Whether the bot may tell this Telegram user anything personal: they shared their own
    phone number and it is linked to the contact their Telegram identity belongs to."""
    return (
        Identity.objects.filter(
            contact=contact, scheme=Identity.Scheme.TELEGRAM, value=user_id, verified=True
        ).exists()
        and contact.identities.filter(scheme=Identity.Scheme.PHONE).exists()
    )


def _only_telegram(contact: Contact, user_id: str) -> bool:
    """Nothing but the Telegram identity: safe to fold into the citizen who owns the phone."""
    identities = list(contact.identities.values_list("scheme", "value"))
    return (
        identities == [(Identity.Scheme.TELEGRAM, user_id)]
        and not contact.is_identified
        and not (contact.first_name or contact.last_name or contact.birth_date)
        and not contact.cases.exists()
        and not contact.applications.exists()
        and not contact.consents_given.exists()
    )


def _phone(raw: str) -> str | None:
    text = (raw or "").strip()
    # Telegram gives the number in international form without the plus.
    if text[:1].isdigit():
        text = "+" + text
    try:
        return normalize_phone(text)
    except PhoneError:
        return None


@transaction.atomic
def identify_by_contact(
    *, contact: Contact, user_id: str, phone_number: str, interaction: Interaction | None = None
) -> IdentifyOutcome:
    """The user shared their own phone number (the caller checked the card is theirs).

    New number: added to the user's contact. Number of an existing citizen: the Telegram-side
    contact is merged into that citizen only when it holds nothing but the Telegram identity;
    otherwise nothing is linked and the pair waits for an agent (``LinkReview``).
    """
    phone = _phone(phone_number)
    if phone is None:
        return IdentifyOutcome(contact, "", linked=False, review=False)
    owner = contact_for_identity(scheme=Identity.Scheme.PHONE, value=phone)
    if owner is None:
        identity_add(contact=contact, scheme=Identity.Scheme.PHONE, raw_value=phone, verified=True)
    elif owner.pk == contact.pk:
        Identity.objects.filter(contact=contact, scheme=Identity.Scheme.PHONE, value=phone).update(
            verified=True
        )
    elif _only_telegram(contact, user_id):
        contact_merge(
            survivor=owner,
            duplicate=contact,
            actor=None,
            reason=_("Shared their own phone number on Telegram."),
        )
        contact = Contact.objects.get(pk=owner.pk)
    else:
        _flag_for_agent(contact=contact, owner=owner, phone=phone, user_id=user_id)
        return IdentifyOutcome(contact, phone, linked=False, review=True)
    Identity.objects.filter(contact=contact, scheme=Identity.Scheme.TELEGRAM, value=user_id).update(
        verified=True
    )
    if not contact.preferred_channel:
        # They chose to identify here: notifications follow them to Telegram.
        contact.preferred_channel = Channel.TELEGRAM
        contact.save(update_fields=["preferred_channel", "updated_at"])
    return IdentifyOutcome(contact, phone, linked=True, review=False)


def _flag_for_agent(*, contact: Contact, owner: Contact, phone: str, user_id: str) -> None:
    try:
        with transaction.atomic():
            LinkReview.objects.create(
                telegram_contact=contact,
                phone_contact=owner,
                phone=phone,
                telegram_user_id=int(user_id),
            )
    except IntegrityError:
        return  # already waiting for an agent
    note = _(
        "Telegram user %(user)s shared the phone %(phone)s, which belongs to citizen #%(owner)s "
        "(this is #%(contact)s). Nothing was linked: check whether they are the same person, "
        "then merge or link."
    ) % {"user": user_id, "phone": phone, "owner": owner.pk, "contact": contact.pk}
    # In the Telegram conversation, so the pair reaches an agent through the inbox; and on the
    # phone owner's timeline, where the next agent to open that citizen sees it.
    conversation = _live_conversation(contact=contact, address=user_id)
    for who, where in ((contact, conversation), (owner, None)):
        interaction_record(
            contact=who,
            channel=Channel.TELEGRAM,
            direction=Interaction.Direction.INTERNAL,
            kind=Interaction.Kind.NOTE,
            body=note,
            conversation=where,
            payload={"link_review": True, "telegram_user_id": user_id},
        )


def _live_conversation(*, contact: Contact, address: str) -> Conversation:
    live = Conversation.objects.filter(contact=contact, channel=Channel.TELEGRAM).exclude(
        status=Conversation.Status.RESOLVED
    )
    conversation = live.first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    contact=contact, channel=Channel.TELEGRAM, address=address
                )
        except IntegrityError:
            conversation = live.get()
    elif conversation.status != Conversation.Status.OPEN:
        conversation.status = Conversation.Status.OPEN
        conversation.save(update_fields=["status"])
    return conversation
