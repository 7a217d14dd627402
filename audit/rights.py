"""A citizen's rights over their data: export, correction, consent withdrawal, erasure.

Each is a service that checks who asks, does the work in one transaction and writes its
audit row in that same transaction. What is exported and erased is whatever the apps
registered in ``crm.personal_data``: this module knows no store by name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from crm.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from crm.jurisdiction import contacts_visible_to
from crm.models import Channel, Contact, Language, Role, User
from crm.personal_data import holders, the_person

from .models import Action
from .recorder import audit_record

# Who handles a citizen's request about their data, within their jurisdiction.
RIGHTS_ROLES = frozenset({Role.AGENT, Role.LOCAL_WORKER, Role.DISTRICT_WORKER, Role.ADMIN})
# Erasure cannot be undone: administrators only.
ERASE_ROLES = frozenset({Role.ADMIN})
CORRECTABLE_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "address_text",
    "preferred_language",
    "preferred_channel",
)


def may_handle_rights(user: User) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.role in RIGHTS_ROLES))


def may_erase(user: User) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.role in ERASE_ROLES))


def _check(actor: User, contact: Contact, *, erase: bool = False) -> None:
    allowed = may_erase(actor) if erase else may_handle_rights(actor)
    if not allowed:
        raise NotAllowed(_("Your role cannot handle requests about a citizen's data."))
    if not contacts_visible_to(actor).filter(pk=contact.pk).exists():
        raise NotFound(_("No such citizen in your area."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why (e.g. the citizen's written request and its date)."),
            details={"reason": ["required"]},
        )
    return reason[:255]


def _collect(person: Contact) -> dict:
    return {holder.name: holder.export(person) for holder in holders()}


def contact_data_export(*, contact: Contact, actor: User, fmt: str = "json") -> dict:
    """Everything held about the citizen and the duplicates merged into them."""
    _check(actor, contact)
    # As stored now, not as the caller last saw it.
    people = the_person(Contact.objects.select_related("address_unit").get(pk=contact.pk))
    data = {
        "contact_id": contact.pk,
        "exported_at": timezone.now().isoformat(),
        "exported_by": actor.get_username(),
        "records": _collect(people[0]),
        "merged_records": [
            {"contact_id": person.pk, "records": _collect(person)} for person in people[1:]
        ],
    }
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="contact",
        object_id=contact.pk,
        contact_id=contact.pk,
        detail=fmt,
    )
    return data


def _clean_value(name: str, raw) -> object:
    value = raw.strip() if isinstance(raw, str) else raw
    if name == "birth_date":
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        day = parse_date(str(value))
        if day is None or day > timezone.localdate():
            raise ValidationFailed(
                _("Birth date must be a past date written 1950-04-30."),
                details={"birth_date": [str(raw)]},
            )
        return day
    if name == "sex" and value not in Contact.Sex.values:
        raise ValidationFailed(_("Sex must be F, M or empty."), details={"sex": [str(raw)]})
    if name == "preferred_language" and value and value not in Language.values:
        raise ValidationFailed(
            _("Unknown language."), details={"preferred_language": Language.values}
        )
    if name == "preferred_channel" and value and value not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), details={"preferred_channel": Channel.values})
    return value or ""


@transaction.atomic
def contact_correct(*, contact: Contact, actor: User, changes: dict, reason: str) -> Contact:
    """Correct what we hold about the citizen; the row names the fields, not the values."""
    _check(actor, contact)
    reason = _reason(reason)
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be corrected here: %(fields)s.")
            % {"fields": ", ".join(unknown)},
            details={"fields": list(CORRECTABLE_FIELDS)},
        )
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    changed = []
    for name, raw in changes.items():
        value = _clean_value(name, raw)
        if getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    if not changed:
        raise ValidationFailed(_("Nothing to correct: every value is as recorded."))
    contact.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="contact",
        object_id=contact.pk,
        contact_id=contact.pk,
        detail="correct:" + ",".join(changed),
        reason=reason,
    )
    return contact


@transaction.atomic
def contact_consent_withdraw(*, contact: Contact, actor: User, reason: str) -> int:
    """The citizen withdraws every consent: no more notifications, a new case needs a new one.

    Answers how many consent records were withdrawn (none is fine: the contact's own flags
    are turned off either way).
    """
    from crm.consents import consents_withdraw_all

    _check(actor, contact)
    reason = _reason(reason)
    withdrawn = consents_withdraw_all(
        subject=contact, channel=Channel.STAFF, reason=reason, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=Action.CONSENT_WITHDRAW,
        object_type="contact",
        object_id=contact.pk,
        contact_id=contact.pk,
        detail=f"{withdrawn} consents",
        reason=reason,
    )
    return withdrawn


def erasure_blockers(*, contact: Contact) -> list[str]:
    """Why the citizen cannot be erased now (empty when they can)."""
    reasons: list[str] = []
    for person in the_person(contact):
        for holder in holders():
            if holder.blockers is not None:
                reasons.extend(holder.blockers(person))
    return reasons


@transaction.atomic
def contact_erase(*, contact: Contact, actor: User, reason: str) -> dict[str, int]:
    """Erase every personal value held about the citizen; ids and figures stay.

    Refused while anything registered says it must wait (a case in progress), with every
    reason listed. Answers how many rows each store touched.
    """
    _check(actor, contact, erase=True)
    reason = _reason(reason)
    if contact.merged_into_id:
        raise Conflict(
            _("This record was merged into #%(id)s: erase that one.")
            % {"id": contact.merged_into_id}
        )
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    blockers = erasure_blockers(contact=contact)
    if blockers:
        raise Conflict(
            _("This citizen cannot be erased yet.") + " " + " ".join(blockers),
            details={"blockers": blockers},
        )
    counts: Counter[str] = Counter()
    for person in the_person(contact):
        for holder in holders():
            counts[holder.name] += holder.erase(person)
    audit_record(
        actor=actor,
        action=Action.ERASE,
        object_type="contact",
        object_id=contact.pk,
        contact_id=contact.pk,
        detail=f"{sum(counts.values())} rows",
        reason=reason,
    )
    return dict(counts)
