"""Writes to the CRM: the single inbound entry, identities, notes and contact merge."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from .conversation_facts import conversation_facts_refresh, facts_after, mirror_inbound
from .countries import country_of_identity
from .errors import NotAllowed, ValidationFailed
from .events import contacts_merged, contacts_merging, interaction_recorded, publish_after_commit
from .identities import IdentityError, normalize_identity
from .models import (
    AdminUnit,
    Contact,
    ContactMerge,
    Conversation,
    Identity,
    Interaction,
    Role,
    User,
)
from .registry import RegistryUnavailable, registry_lookup

logger = logging.getLogger(__name__)

# Read-only and care-home accounts look at citizens; they do not rewrite who is who.
MERGE_REFUSED_ROLES = frozenset({Role.SUPERVISOR, Role.FACILITY_STAFF})


@dataclass(frozen=True)
class InboundResult:
    interaction: Interaction
    contact: Contact
    conversation: Conversation | None
    created: bool  # False when a provider retried a message we already stored

    @property
    def duplicate(self) -> bool:
        return not self.created


# --- contacts and identities -------------------------------------------------------------


def contact_live(contact: Contact) -> Contact:
    """The contact that holds ``contact``'s records now: itself, or whom it was merged into."""
    while contact.merged_into_id:
        contact = contact.merged_into
    return contact


def contact_for_identity(*, scheme: str, value: str) -> Contact | None:
    """The live contact holding an already-normalised identity, following merges."""
    identity = Identity.objects.select_related("contact").filter(scheme=scheme, value=value).first()
    if identity is None:
        return None
    return contact_live(identity.contact)


def contact_get_or_create_by_identity(
    *, scheme: str, value: str, defaults: dict | None = None
) -> tuple[Contact, bool]:
    """Find the contact with this normalised identity or create an unidentified one.

    Two webhooks for the same new sender can race; the unique identity constraint decides and
    the loser reads the winner's contact.
    """
    contact = contact_for_identity(scheme=scheme, value=value)
    if contact is not None:
        return contact, False
    defaults = {"country": country_of_identity(scheme, value), **(defaults or {})}
    try:
        with transaction.atomic():
            contact = Contact.objects.create(**defaults)
            Identity.objects.create(contact=contact, scheme=scheme, value=value)
            return contact, True
    except IntegrityError:
        contact = contact_for_identity(scheme=scheme, value=value)
        if contact is None:
            raise
        return contact, False


@transaction.atomic
def identity_add(
    *, contact: Contact, scheme: str, raw_value: str, verified: bool = False
) -> Identity:
    try:
        value = normalize_identity(scheme, raw_value)
    except IdentityError as exc:
        raise ValidationFailed(str(exc), details={"value": [str(exc)]}) from exc
    existing = Identity.objects.filter(scheme=scheme, value=value).select_related("contact").first()
    if existing is not None:
        if existing.contact_id == contact.pk:
            return existing
        raise ValidationFailed(
            _("%(value)s already belongs to another citizen (#%(id)s); merge them instead.")
            % {"value": value, "id": existing.contact_id},
            details={"value": ["duplicate"], "contact": existing.contact_id},
        )
    return Identity.objects.create(contact=contact, scheme=scheme, value=value, verified=verified)


def _unit_for_path(path: str) -> AdminUnit | None:
    return AdminUnit.objects.filter(path=path).first() if path else None


@transaction.atomic
def contact_from_registry(*, national_id: str) -> tuple[Contact, bool]:
    """The contact for a national ID, created from the state registry if we do not know it."""
    try:
        value = normalize_identity(Identity.Scheme.NATIONAL_ID, national_id)
    except IdentityError as exc:
        raise ValidationFailed(str(exc), details={"national_id": [str(exc)]}) from exc
    contact = contact_for_identity(scheme=Identity.Scheme.NATIONAL_ID, value=value)
    if contact is not None:
        return contact, False
    try:
        record = registry_lookup(value)
    except RegistryUnavailable as exc:
        logger.warning("registry unavailable for lookup: %s", exc)
        record = None
    defaults: dict = {"is_identified": record is not None}
    if record is not None:
        defaults.update(
            first_name=record.first_name,
            last_name=record.last_name,
            middle_name=record.middle_name,
            birth_date=record.birth_date,
            sex=record.sex,
            address_unit=_unit_for_path(record.address_unit_path),
            address_text=record.address_text,
        )
    contact, created = contact_get_or_create_by_identity(
        scheme=Identity.Scheme.NATIONAL_ID, value=value, defaults=defaults
    )
    if created and record is not None:
        Identity.objects.filter(contact=contact, scheme=Identity.Scheme.NATIONAL_ID).update(
            verified=True
        )
    return contact, created


# --- the single inbound entry ------------------------------------------------------------


def _live_conversation(*, contact: Contact, channel: str, address: str) -> Conversation:
    conversation = (
        Conversation.objects.filter(contact=contact, channel=channel)
        .exclude(status=Conversation.Status.RESOLVED)
        .first()
    )
    if conversation is not None:
        return conversation
    try:
        with transaction.atomic():
            return Conversation.objects.create(contact=contact, channel=channel, address=address)
    except IntegrityError:
        return (
            Conversation.objects.filter(contact=contact, channel=channel)
            .exclude(status=Conversation.Status.RESOLVED)
            .get()
        )


def inbound_message_record(
    *,
    channel: str,
    scheme: str,
    address: str,
    body: str,
    provider_message_id: str | None,
    payload: dict | None = None,
    occurred_at: dt.datetime | None = None,
    kind: str = Interaction.Kind.MESSAGE,
    open_conversation: bool = True,
) -> InboundResult:
    """A citizen said something on ``channel``: store it first, then everything else.

    ``address`` is already normalised for ``scheme`` by the channel adapter. A provider id we
    have seen returns the stored interaction untouched (``created=False``), so retried
    webhooks change nothing. What happens next (keywords, answers) is the caller's, in the
    caller's transaction.
    """
    try:
        with transaction.atomic():
            contact, _created = contact_get_or_create_by_identity(scheme=scheme, value=address)
            conversation = (
                _live_conversation(contact=contact, channel=channel, address=address)
                if open_conversation
                else None
            )
            # No look-up first: the unique provider id refuses a retried webhook (below).
            interaction = Interaction.objects.create(
                contact=contact,
                conversation=conversation,
                channel=channel,
                direction=Interaction.Direction.INBOUND,
                kind=kind,
                body=body,
                address=address,
                provider_message_id=provider_message_id or None,
                status=Interaction.Status.RECEIVED,
                payload=payload or {},
                occurred_at=occurred_at or timezone.now(),
            )
            if conversation is not None:
                Conversation.objects.filter(pk=conversation.pk).update(
                    unread_count=F("unread_count") + 1,
                    last_activity_at=interaction.occurred_at,
                    status=Conversation.Status.OPEN,
                    **facts_after(interaction),
                )
                # Mirrors the UPDATE without reading the row back (the count may lag a
                # concurrent message by one; nothing downstream reads it from here).
                conversation.unread_count += 1
                conversation.last_activity_at = interaction.occurred_at
                conversation.status = Conversation.Status.OPEN
                mirror_inbound(conversation, interaction)
            _announce(interaction)
    except IntegrityError:
        # A provider retried a message we have (or two deliveries raced): read the first one.
        existing = provider_message_id and _existing_interaction(channel, provider_message_id)
        if not existing:
            raise
        return existing
    return InboundResult(interaction, contact, conversation, created=True)


def _existing_interaction(channel: str, provider_message_id: str) -> InboundResult | None:
    interaction = (
        Interaction.objects.select_related("contact", "conversation")
        .filter(channel=channel, provider_message_id=provider_message_id)
        .first()
    )
    if interaction is None:
        return None
    return InboundResult(interaction, interaction.contact, interaction.conversation, False)


def interaction_record(
    *,
    contact: Contact,
    channel: str,
    direction: str,
    kind: str,
    body: str,
    author: User | None = None,
    conversation: Conversation | None = None,
    address: str = "",
    status: str = Interaction.Status.RECEIVED,
    payload: dict | None = None,
    provider_message_id: str | None = None,
    announce: bool = True,
) -> Interaction:
    """Any other timeline entry: an outbound message, a note, a case event, a call.

    ``announce=False`` records it without its own ``interaction_recorded`` event, for an entry
    made in the same transaction as one that is announced for the same conversation (the
    automatic answer to an inbound keyword): listeners see the conversation change once.
    """
    # Inside a caller's transaction no savepoint of its own: nothing here is retried alone.
    with transaction.atomic(savepoint=False):
        interaction = Interaction.objects.create(
            contact=contact,
            conversation=conversation,
            channel=channel,
            direction=direction,
            kind=kind,
            body=body,
            author=author,
            address=address,
            status=status,
            payload=payload or {},
            provider_message_id=provider_message_id,
        )
        if conversation is not None:
            Conversation.objects.filter(pk=conversation.pk).update(
                last_activity_at=interaction.occurred_at, **facts_after(interaction)
            )
        if announce:
            _announce(interaction)
    return interaction


def _announce(interaction: Interaction) -> None:
    """``interaction_recorded``, sent after the surrounding transaction commits."""
    publish_after_commit(
        interaction_recorded,
        sender=Interaction,
        interaction_id=interaction.pk,
        contact_id=interaction.contact_id,
        conversation_id=interaction.conversation_id,
        channel=interaction.channel,
        direction=interaction.direction,
    )


def note_add(*, contact: Contact, author: User, body: str, conversation=None) -> Interaction:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("A note cannot be empty."), details={"body": ["empty"]})
    return interaction_record(
        contact=contact,
        channel=conversation.channel if conversation else "staff",
        direction=Interaction.Direction.INTERNAL,
        kind=Interaction.Kind.NOTE,
        body=body,
        author=author,
        conversation=conversation,
    )


# --- merging duplicates ------------------------------------------------------------------


@transaction.atomic
def contact_merge(
    *, survivor: Contact, duplicate: Contact, actor: User | None, reason: str = ""
) -> ContactMerge:
    """Fold ``duplicate`` into ``survivor``: every row pointing at it moves over.

    The rows are found through Django's relation metadata, so relations other apps add
    (cases, households, outbound messages...) move too without the core knowing them.
    The duplicate is kept, marked ``merged_into``, so old references still resolve.
    """
    if actor is not None and actor.role in MERGE_REFUSED_ROLES:
        raise NotAllowed(_("Your role cannot merge citizens."))
    if survivor.pk == duplicate.pk:
        raise ValidationFailed(_("A citizen cannot be merged into themselves."))
    survivor = Contact.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Contact.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationFailed(_("One of these citizens was already merged into another."))

    snapshot = model_to_dict(duplicate, exclude=["target_groups"])
    snapshot["identities"] = list(duplicate.identities.values("scheme", "value"))
    # Dates, datetimes (consent_recorded_at) and decimals as JSON text.
    snapshot = json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))
    moved: dict[str, int] = {}
    contacts_merging.send(sender=Contact, survivor=survivor, duplicate=duplicate)

    # Live conversations: one per contact and channel, so a clash is closed into the survivor's.
    for conversation in duplicate.conversations.exclude(status=Conversation.Status.RESOLVED):
        keeper = (
            survivor.conversations.filter(channel=conversation.channel)
            .exclude(status=Conversation.Status.RESOLVED)
            .first()
        )
        if keeper is not None:
            moved["conversation_interactions"] = moved.get(
                "conversation_interactions", 0
            ) + conversation.interactions.update(conversation=keeper)
            conversation.status = Conversation.Status.RESOLVED
            conversation.wrap_up_code = "merged"
            conversation.resolved_at = timezone.now()
            conversation.save(update_fields=["status", "wrap_up_code", "resolved_at"])
            # Both threads' last words and waiting times changed with the rows that moved.
            conversation_facts_refresh(
                Conversation.objects.filter(pk__in=[keeper.pk, conversation.pk])
            )

    for relation in Contact._meta.related_objects:
        if relation.related_model is ContactMerge or (
            relation.related_model is Contact and relation.field.name == "merged_into"
        ):
            continue
        if relation.many_to_many:
            continue
        field = relation.field.name
        count = relation.related_model._default_manager.filter(**{field: duplicate}).update(
            **{field: survivor}
        )
        if count:
            moved[relation.related_model._meta.label_lower + "." + field] = count

    survivor.target_groups.add(*duplicate.target_groups.all())
    for name in (
        "first_name",
        "last_name",
        "middle_name",
        "birth_date",
        "sex",
        "address_text",
        "address_unit",
        "preferred_language",
        "preferred_channel",
    ):
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    survivor.is_identified = survivor.is_identified or duplicate.is_identified
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])

    record = ContactMerge.objects.create(
        survivor=survivor,
        merged=duplicate,
        snapshot=snapshot,
        moved=moved,
        reason=reason,
        actor=actor,
    )
    publish_after_commit(
        contacts_merged, sender=Contact, survivor_id=survivor.pk, merged_id=duplicate.pk
    )
    return record
