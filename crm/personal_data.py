"""What each app holds about a citizen: one registry for export and erasure.

Every app that stores something about a contact registers a ``Holder`` (in its
``AppConfig.ready``): how to export it, how to erase it, and what, if anything, forbids
erasing it now (a case in progress). The core never imports those apps: it only walks the
registry, so "export everything" and "erase everything" reach every store that registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from .models import Consent, Contact, ContactMerge, Household, HouseholdMember, Interaction

Exporter = Callable[[Contact], dict | list]
Eraser = Callable[[Contact], int]
Blocker = Callable[[Contact], list[str]]


@dataclass(frozen=True)
class Holder:
    """One store of personal data about contacts.

    ``export(contact)`` answers JSON-ready data; ``erase(contact)`` removes or blanks every
    personal value and answers how many rows it touched (it runs inside the erasure's
    transaction; files are removed after commit); ``blockers(contact)`` answers the reasons
    erasure must wait, each a sentence for the operator.
    """

    name: str
    export: Exporter
    erase: Eraser
    blockers: Blocker | None = None
    order: int = 100


@dataclass
class _Registry:
    holders: dict[str, Holder] = field(default_factory=dict)

    def sorted(self) -> list[Holder]:
        return sorted(self.holders.values(), key=lambda h: (h.order, h.name))


_registry = _Registry()


def register_holder(holder: Holder) -> Holder:
    """Register (or replace, by name) what an app holds about contacts."""
    _registry.holders[holder.name] = holder
    return holder


def holders() -> list[Holder]:
    return _registry.sorted()


def the_person(contact: Contact) -> list[Contact]:
    """The contact and every duplicate merged into it: erasure and export cover them all."""
    people = [contact]
    seen = {contact.pk}
    frontier = [contact.pk]
    while frontier:
        merged = list(Contact.objects.filter(merged_into_id__in=frontier).exclude(pk__in=seen))
        people.extend(merged)
        seen.update(c.pk for c in merged)
        frontier = [c.pk for c in merged]
    return people


# --- what the CRM itself holds ---------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_contact(contact: Contact) -> dict:
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "middle_name": contact.middle_name,
        "birth_date": _iso(contact.birth_date),
        "sex": contact.sex,
        "address_unit": contact.address_unit.full_name if contact.address_unit_id else None,
        "address_text": contact.address_text,
        "preferred_language": contact.preferred_language,
        "preferred_channel": contact.preferred_channel,
        "target_groups": list(contact.target_groups.values_list("code", flat=True)),
        "lives_alone": contact.lives_alone,
        "consent_data_processing": contact.consent_data_processing,
        "consent_messages": contact.consent_messages,
        "consent_recorded_at": _iso(contact.consent_recorded_at),
        "is_identified": contact.is_identified,
        "merged_into": contact.merged_into_id,
        "created_at": _iso(contact.created_at),
        "updated_at": _iso(contact.updated_at),
    }


def _erase_contact(contact: Contact) -> int:
    contact.target_groups.clear()
    # search_name is derived in save(); a queryset update would leave the old one behind.
    for name in ("first_name", "last_name", "middle_name", "address_text", "sex"):
        setattr(contact, name, "")
    contact.birth_date = None
    contact.preferred_language = ""
    contact.preferred_channel = ""
    contact.lives_alone = False
    contact.is_identified = False
    contact.consent_data_processing = False
    contact.consent_messages = False
    contact.save()
    return 1


def _export_identities(contact: Contact) -> list:
    return [
        {
            "scheme": i.scheme,
            "value": i.value,
            "verified": i.verified,
            "opted_out_at": _iso(i.opted_out_at),
            "created_at": _iso(i.created_at),
        }
        for i in contact.identities.order_by("scheme", "id")
    ]


def _erase_identities(contact: Contact) -> int:
    return contact.identities.all().delete()[0]


def _export_households(contact: Contact) -> list:

    rows = HouseholdMember.objects.filter(contact=contact).select_related("household")
    return [
        {
            "household": m.household_id,
            "address_text": m.household.address_text,
            "relationship": m.relationship,
            "monthly_income": str(m.monthly_income),
        }
        for m in rows
    ]


def _erase_households(contact: Contact) -> int:

    household_ids = list(
        HouseholdMember.objects.filter(contact=contact).values_list("household_id", flat=True)
    )
    count = HouseholdMember.objects.filter(contact=contact).delete()[0]
    # A household nobody lives in any more is only an address: it goes too.
    Household.objects.filter(pk__in=household_ids, members__isnull=True).delete()
    return count


def _export_conversations(contact: Contact) -> list:
    return [
        {
            "id": c.pk,
            "channel": c.channel,
            "address": c.address,
            "status": c.status,
            "wrap_up_code": c.wrap_up_code,
            "created_at": _iso(c.created_at),
            "resolved_at": _iso(c.resolved_at),
        }
        for c in contact.conversations.order_by("created_at", "id")
    ]


def _erase_conversations(contact: Contact) -> int:
    # The inbox's copy of the citizen's last message goes with the messages themselves.
    return contact.conversations.update(address="", last_inbound_body="")


def _export_interactions(contact: Contact) -> list:

    return [
        {
            "id": i.id,
            "channel": i.channel,
            "direction": i.direction,
            "kind": i.kind,
            "body": i.body,
            "address": i.address,
            "status": i.status,
            "author": i.author.username if i.author_id else None,
            "occurred_at": _iso(i.occurred_at),
            "payload": i.payload,
        }
        for i in Interaction.objects.filter(contact=contact)
        .select_related("author")
        .order_by("occurred_at", "id")
    ]


def _erase_interactions(contact: Contact) -> int:
    from .models import Interaction

    return Interaction.objects.filter(contact=contact).update(
        body="", address="", payload={}, error_message=""
    )


def _export_merges(contact: Contact) -> list:

    rows = ContactMerge.objects.filter(Q(survivor=contact) | Q(merged=contact))
    return [
        {
            "survivor": m.survivor_id,
            "merged": m.merged_id,
            "snapshot": m.snapshot,
            "reason": m.reason,
            "merged_at": _iso(m.merged_at),
        }
        for m in rows.order_by("merged_at", "id")
    ]


def _erase_merges(contact: Contact) -> int:
    from django.db.models import Q

    from .models import ContactMerge

    return ContactMerge.objects.filter(Q(survivor=contact) | Q(merged=contact)).update(
        snapshot={}, reason=""
    )


def _export_consents(contact: Contact) -> list:
    from django.db.models import Q

    rows = Consent.objects.filter(Q(subject=contact) | Q(given_by=contact)).order_by("given_at")
    return [
        {
            "subject": c.subject_id,
            "given_by": c.given_by_id,
            "relationship": c.relationship,
            "purpose": c.purpose,
            "method": c.method,
            "channel": c.channel,
            "reference": c.reference,
            "evidence": c.evidence,
            "given_at": _iso(c.given_at),
            "withdrawn_at": _iso(c.withdrawn_at),
            "withdrawal_reason": c.withdrawal_reason,
        }
        for c in rows
    ]


def _erase_consents(contact: Contact) -> int:
    from django.db.models import Q

    from .models import Consent

    # The record that consent was given and withdrawn stays; what was said goes.
    return Consent.objects.filter(Q(subject=contact) | Q(given_by=contact)).update(
        evidence={}, withdrawal_reason=""
    )


def register_crm_holders() -> None:
    # The contact row last: other holders may still read it while they erase.
    register_holder(Holder("contact", _export_contact, _erase_contact, order=900))
    register_holder(Holder("identities", _export_identities, _erase_identities, order=10))
    register_holder(Holder("households", _export_households, _erase_households, order=10))
    register_holder(Holder("conversations", _export_conversations, _erase_conversations))
    register_holder(Holder("interactions", _export_interactions, _erase_interactions))
    register_holder(Holder("merges", _export_merges, _erase_merges))
    register_holder(Holder("consents", _export_consents, _erase_consents))
