"""Consent: recording it as given and withdrawing it, on any channel.

A consent row is the one record the casework and the audit read; the contact's own
``consent_data_processing`` / ``consent_messages`` flags are kept in step with the rows so
that the older readers (the outbox's notification rule) see the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict, ValidationFailed
from .models import Channel, Consent, Contact, User

# Purposes whose consent also means "we may process this person's data".
DATA_PURPOSES = frozenset({Consent.Purpose.APPLICATION, Consent.Purpose.DATA_PROCESSING})


def _live(contact: Contact) -> Contact:
    while contact.merged_into_id:
        contact = contact.merged_into
    return contact


@transaction.atomic
def consent_record(
    *,
    subject: Contact,
    given_by: Contact,
    purpose: str,
    method: str,
    channel: str,
    relationship: str = "",
    reference: str = "",
    evidence: dict | None = None,
    recorded_by: User | None = None,
    given_at: dt.datetime | None = None,
) -> Consent:
    """Record that ``given_by`` consented for ``subject`` to ``purpose``.

    Someone consenting for another person must say how they are related to them.
    """
    subject, given_by = _live(subject), _live(given_by)
    problems: dict[str, list[str]] = {}
    if purpose not in Consent.Purpose.values:
        problems["purpose"] = Consent.Purpose.values
    if method not in Consent.Method.values:
        problems["method"] = Consent.Method.values
    if channel not in Channel.values:
        problems["channel"] = Channel.values
    on_behalf = given_by.pk != subject.pk
    if on_behalf and not relationship.strip():
        problems["relationship"] = [_("required when consenting for someone else")]
    if not on_behalf and method == Consent.Method.DECLARED_BY_REPRESENTATIVE:
        problems["method"] = [_("a person consenting for themself is not a representative")]
    if problems:
        raise ValidationFailed(
            _("The consent is incomplete: fix %(fields)s.") % {"fields": ", ".join(problems)},
            details=problems,
        )
    consent = Consent.objects.create(
        subject=subject,
        given_by=given_by,
        relationship=relationship.strip() if on_behalf else "",
        purpose=purpose,
        method=method,
        channel=channel,
        reference=reference,
        evidence=evidence or {},
        recorded_by=recorded_by,
        given_at=given_at or timezone.now(),
    )
    _sync_contact_flags(subject)
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    consent: Consent,
    channel: str,
    withdrawn_by: Contact | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
    recorded_by: User | None = None,
) -> Consent:
    """Withdraw a consent from now on; what was done under it before stays valid.

    ``recorded_by`` is the staff member who wrote the withdrawal down (None when the citizen
    withdrew on a channel themself).
    """
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise Conflict(
            _("This consent was already withdrawn on %(date)s.")
            % {"date": timezone.localtime(locked.withdrawn_at).strftime("%Y-%m-%d %H:%M")}
        )
    if channel not in Channel.values:
        raise ValidationFailed(
            _("Unknown channel '%(channel)s'.") % {"channel": channel},
            details={"channel": Channel.values},
        )
    locked.withdrawn_at = at or timezone.now()
    locked.withdrawn_by = _live(withdrawn_by) if withdrawn_by is not None else None
    locked.withdrawal_channel = channel
    locked.withdrawal_reason = reason.strip()[:255]
    locked.withdrawal_recorded_by = recorded_by
    locked.save(
        update_fields=[
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_channel",
            "withdrawal_reason",
            "withdrawal_recorded_by",
        ]
    )
    _sync_contact_flags(locked.subject)
    return locked


@transaction.atomic
def consents_withdraw_all(
    *,
    subject: Contact,
    channel: str,
    reason: str = "",
    recorded_by: User | None = None,
    withdrawn_by: Contact | None = None,
) -> int:
    """The person withdraws every consent they have given: no more notifications, no more
    processing for new requests. Answers how many consent rows were withdrawn.

    The contact's own flags are turned off even when no row was active (an older record
    with only the flags set).
    """
    subject = _live(subject)
    withdrawn = 0
    for consent in consents_active(subject=subject):
        consent_withdraw(
            consent=consent,
            channel=channel,
            withdrawn_by=withdrawn_by,
            reason=reason,
            recorded_by=recorded_by,
        )
        withdrawn += 1
    Contact.objects.filter(pk=subject.pk).update(
        consent_data_processing=False, consent_messages=False, updated_at=timezone.now()
    )
    subject.consent_data_processing = subject.consent_messages = False
    return withdrawn


@transaction.atomic
def consent_messages_refuse(*, subject: Contact) -> None:
    """The person said no to being messaged: case notifications stop (the outbox reads the
    contact's flag), and no consent row is written, since none was given."""
    subject = _live(subject)
    if consents_active(subject=subject, purpose=Consent.Purpose.NOTIFICATIONS).exists():
        raise Conflict(_("The person consented to notifications; withdraw that consent instead."))
    Contact.objects.filter(pk=subject.pk).update(consent_messages=False, updated_at=timezone.now())
    subject.consent_messages = False


def consents_active(*, subject: Contact, purpose: str | None = None) -> QuerySet[Consent]:
    """The subject's consents not withdrawn, newest first (optionally one purpose)."""
    qs = Consent.objects.filter(subject=_live(subject), withdrawn_at__isnull=True)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.select_related("given_by")


def _sync_contact_flags(subject: Contact) -> None:
    active = set(
        Consent.objects.filter(subject=subject, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )
    withdrawn_notifications = (
        Consent.Purpose.NOTIFICATIONS not in active
        and Consent.objects.filter(
            subject=subject, purpose=Consent.Purpose.NOTIFICATIONS, withdrawn_at__isnull=False
        ).exists()
    )
    fields = {"consent_data_processing": bool(active & DATA_PURPOSES)}
    if Consent.Purpose.NOTIFICATIONS in active:
        fields["consent_messages"] = True
    elif withdrawn_notifications:
        fields["consent_messages"] = False
    if fields["consent_data_processing"] and not subject.consent_recorded_at:
        fields["consent_recorded_at"] = timezone.now()
    Contact.objects.filter(pk=subject.pk).update(updated_at=timezone.now(), **fields)
    for name, value in fields.items():
        setattr(subject, name, value)


@dataclass(frozen=True)
class ConsentOverview:
    """What the consent panel shows: per purpose what holds now, and the history."""

    subject: Contact
    data: list[Consent]
    messages: list[Consent]
    withdrawn: list[Consent]
    processing_allowed: bool
    messages_allowed: bool


def consent_overview(*, subject: Contact, history: int = 10) -> ConsentOverview:
    """The subject's consents for processing their data and for being messaged, as given
    (who, how, on which channel, recorded by whom, when), and the latest withdrawals."""
    subject = _live(subject)
    rows = list(
        Consent.objects.filter(subject=subject)
        .select_related("given_by", "recorded_by", "withdrawn_by", "withdrawal_recorded_by")
        .order_by("-given_at", "-id")[:100]
    )
    active = [c for c in rows if c.withdrawn_at is None]
    return ConsentOverview(
        subject=subject,
        data=[c for c in active if c.purpose in DATA_PURPOSES],
        messages=[c for c in active if c.purpose == Consent.Purpose.NOTIFICATIONS],
        withdrawn=sorted(
            (c for c in rows if c.withdrawn_at is not None),
            key=lambda c: c.withdrawn_at,
            reverse=True,
        )[:history],
        processing_allowed=subject.consent_data_processing,
        messages_allowed=subject.consent_messages,
    )
