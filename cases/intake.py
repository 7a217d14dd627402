"""One way in for an application, whatever the channel (Telegram, kiosk, the console).

An application names who applies, who it is for and how they are related, carries that
person's consent (one ``crm.models.Consent`` row), and becomes a draft case in the local unit
of the person's registered address. A case is never opened without a unit: a person whose
address the registry does not give is told to visit or call their local office instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crm.consents import (
    consent_messages_refuse,
    consent_record,
    consent_withdraw,
    consents_active,
)
from crm.errors import NotFound, ValidationFailed
from crm.identities import IdentityError, normalize_identity
from crm.models import AdminUnit, Channel, Consent, Contact, Identity, Interaction, User
from crm.registry import RegistryUnavailable, registry_lookup
from crm.services import contact_for_identity, contact_from_registry, identity_add

from .models import Case, CaseDocument, RequiredDocument, Service
from .selectors import document_checklist, services_offered
from .services import case_create, case_document_add, case_update

# Who may apply for someone else, as the citizen channels offer it (staff-only values such as
# "agent" are for the console, which passes its own).
RELATIONSHIPS_ON_BEHALF = tuple(
    value for value in Case.Relationship.values if value not in ("", Case.Relationship.AGENT)
)


@dataclass(frozen=True)
class PersonPreview:
    """What a citizen channel may show before the application: nothing but a masked name."""

    national_id: str
    masked_name: str
    unit: AdminUnit | None


@dataclass(frozen=True)
class IntakeResult:
    case: Case
    consent: Consent
    beneficiary: Contact
    applicant: Contact
    missing_documents: list[RequiredDocument] = field(default_factory=list)


def intake_services(*, unit: AdminUnit | None, country: str | None = None) -> QuerySet[Service]:
    """The services a person registered in ``unit`` (or living in ``country``, when the unit
    is not known yet) can apply for: their country's catalogue."""
    return services_offered(unit=unit, country=country).order_by("code")


def mask_name(*parts: str) -> str:
    """ "Дорж Цэрэн" -> "Д*** Ц***": enough to confirm, too little to learn a stranger's name."""
    return " ".join(f"{p.strip()[0]}***" for p in parts if p and p.strip())


def intake_person_preview(*, national_id: str) -> PersonPreview:
    """Check a national ID (either country's format) and who it is, without storing anything.

    ValidationFailed for a malformed number, NotFound when neither the registry nor our own
    records know it.
    """
    value = _national_id(national_id)
    contact = contact_for_identity(scheme=Identity.Scheme.NATIONAL_ID, value=value)
    if contact is not None and (contact.last_name or contact.first_name):
        return PersonPreview(
            value, mask_name(contact.last_name, contact.first_name), contact.address_unit
        )
    try:
        record = registry_lookup(value)
    except RegistryUnavailable as exc:
        raise ValidationFailed(
            _("The state registry is not answering; try again in a few minutes."),
            details={"national_id": ["registry unavailable"]},
        ) from exc
    if record is None:
        raise NotFound(
            _("No person with the national ID %(id)s is registered.") % {"id": value},
            details={"national_id": ["unknown"]},
        )
    unit = AdminUnit.objects.filter(path=record.address_unit_path).first()
    return PersonPreview(value, mask_name(record.last_name, record.first_name), unit)


def _national_id(raw: str) -> str:
    try:
        return normalize_identity(Identity.Scheme.NATIONAL_ID, raw)
    except IdentityError as exc:
        raise ValidationFailed(str(exc), details={"national_id": [str(exc)]}) from exc


def intake_submit(
    *,
    applicant: Contact,
    service: Service,
    channel: str,
    consent_confirmed: bool,
    beneficiary: Contact | None = None,
    beneficiary_national_id: str = "",
    relationship: str = "",
    reason: str = "",
    consent_method: str = "",
    consent_evidence: dict | None = None,
    actor: User | None = None,
    origin_interaction: Interaction | None = None,
    notifications: bool | None = None,
) -> IntakeResult:
    """Open a draft case for an application and record the person's consent to it.

    The application is for ``beneficiary``, or the person with ``beneficiary_national_id``
    when a ``relationship`` says the applicant applies for someone else; without one it is for
    the applicant themself, whose national ID (if given) is checked and added to them.
    ``actor`` is the staff member taking the application, None when the citizen applies on a
    channel themself. ``notifications`` is the person's answer to "may we message you about
    it?" where the channel asks (True records that consent too, False stops notifications),
    None where it was not asked.
    """
    if not consent_confirmed:
        raise ValidationFailed(
            _("The application needs the consent of the person it is for."),
            details={"consent": ["required"]},
        )
    if channel not in Channel.values:
        raise ValidationFailed(
            _("Unknown channel '%(channel)s'.") % {"channel": channel},
            details={"channel": Channel.values},
        )
    with transaction.atomic():
        beneficiary = _beneficiary(
            applicant=applicant,
            beneficiary=beneficiary,
            national_id=beneficiary_national_id,
            relationship=relationship,
        )
        for_self = beneficiary.pk == applicant.pk
        if not for_self and relationship not in Case.Relationship.values[1:]:
            raise ValidationFailed(
                _("Say how the applicant is related to the person the application is for."),
                details={"relationship": list(Case.Relationship.values[1:])},
            )
        unit = beneficiary.address_unit
        if unit is None:
            raise ValidationFailed(
                _(
                    "The person's registered address is not known, so no local office can take "
                    "the application; please call or visit the local social welfare office."
                ),
                details={"beneficiary": ["no registered address"]},
            )
        if not intake_services(unit=unit).filter(pk=service.pk).exists():
            raise ValidationFailed(
                _("This service is not offered where the person lives."),
                details={"service": ["not offered in the person's unit"]},
            )
        case = case_create(
            beneficiary=beneficiary,
            service=service,
            actor=actor,
            origin_channel=channel,
            origin_interaction=origin_interaction,
            applicant=None if for_self else applicant,
            applicant_relationship="" if for_self else relationship,
            reason_for_care=reason,
            unit=unit,
        )
        default_method = (
            Consent.Method.SELF_CONFIRMED if for_self else Consent.Method.DECLARED_BY_REPRESENTATIVE
        )
        consent = consent_record(
            subject=beneficiary,
            given_by=beneficiary if for_self else applicant,
            relationship="" if for_self else relationship,
            purpose=Consent.Purpose.APPLICATION,
            method=consent_method or default_method,
            channel=channel,
            reference=case.number,
            evidence=consent_evidence,
            recorded_by=actor,
        )
        if notifications:
            consent_record(
                subject=beneficiary,
                given_by=consent.given_by,
                relationship=consent.relationship,
                purpose=Consent.Purpose.NOTIFICATIONS,
                method=consent.method,
                channel=channel,
                reference=case.number,
                evidence=consent_evidence,
                recorded_by=actor,
            )
        elif notifications is False:
            # "No" now outweighs an earlier "yes": that consent ends here.
            for earlier in consents_active(
                subject=beneficiary, purpose=Consent.Purpose.NOTIFICATIONS
            ):
                consent_withdraw(
                    consent=earlier,
                    channel=channel,
                    withdrawn_by=consent.given_by,
                    reason=case.number,
                    recorded_by=actor,
                )
            consent_messages_refuse(subject=beneficiary)
    return IntakeResult(
        case=case,
        consent=consent,
        beneficiary=beneficiary,
        applicant=applicant,
        missing_documents=intake_missing_documents(case=case),
    )


@dataclass(frozen=True)
class HealthStatus:
    """Part 3 of seed 000's request: disability yes/no, its type and the lost capacity."""

    has_disability: bool | None = None
    disability_type: str = ""
    disability_percent: int | None = None


def intake_walk_in_submit(
    *,
    beneficiary: Contact,
    service: Service,
    actor: User,
    consent_method: str,
    notifications: bool,
    reason: str = "",
    health: HealthStatus | None = None,
    applicant_national_id: str = "",
    applicant_phone: str = "",
    relationship: str = "",
) -> IntakeResult:
    """A citizen (or a relative or carer on their behalf) at the local office: the worker
    registers the application through the same intake as every channel.

    An applicant for someone else is identified by their national ID (the registry fills in
    who they are) and may leave a phone number for the case's messages. Everything happens in
    one transaction: when anything is refused, nothing is created.
    """
    with transaction.atomic():
        applicant = beneficiary
        if relationship:
            if not applicant_national_id.strip():
                raise ValidationFailed(
                    _("Enter the national ID of the person applying on the citizen's behalf."),
                    details={"applicant_national_id": ["required"]},
                )
            applicant, _created = contact_from_registry(
                national_id=_national_id(applicant_national_id)
            )
            if applicant.pk == beneficiary.pk:
                raise ValidationFailed(
                    _("The applicant and the person the application is for are the same person."),
                    details={"applicant_national_id": ["same person"]},
                )
        if applicant_phone.strip():
            _phone_add(contact=applicant, phone=applicant_phone)
        result = intake_submit(
            applicant=applicant,
            beneficiary=beneficiary,
            service=service,
            channel=Channel.WALK_IN,
            consent_confirmed=True,
            relationship=relationship,
            reason=reason,
            consent_method=consent_method,
            consent_evidence={"office": actor.unit.path if actor.unit_id else ""},
            actor=actor,
            notifications=notifications,
        )
        if health is not None and health.has_disability is not None:
            result = replace(
                result,
                case=case_update(
                    case=result.case,
                    actor=actor,
                    data={
                        "has_disability": health.has_disability,
                        "disability_type": health.disability_type,
                        "disability_percent": health.disability_percent,
                    },
                ),
            )
    return result


def _phone_add(*, contact: Contact, phone: str) -> None:
    try:
        value = normalize_identity(Identity.Scheme.PHONE, phone)
    except IdentityError as exc:
        raise ValidationFailed(str(exc), details={"applicant_phone": [str(exc)]}) from exc
    owner = contact_for_identity(scheme=Identity.Scheme.PHONE, value=value)
    if owner is not None and owner.pk != contact.pk:
        # A shared family phone stays with whoever has it; the case still reaches them.
        return
    if owner is None:
        identity_add(contact=contact, scheme=Identity.Scheme.PHONE, raw_value=value)


def _beneficiary(
    *, applicant: Contact, beneficiary: Contact | None, national_id: str, relationship: str
) -> Contact:
    if beneficiary is not None:
        return beneficiary
    if not national_id.strip():
        return applicant
    if not relationship:
        # For themself: the ID is the applicant's own, checked and added to them.
        return intake_identify_self(applicant=applicant, national_id=national_id)
    contact, _created = contact_from_registry(national_id=_national_id(national_id))
    return contact


@transaction.atomic
def intake_identify_self(*, applicant: Contact, national_id: str) -> Contact:
    """An applicant applying for themself gives their national ID: checked and added to them.

    Name, birth date and address come from the registry where we have none. When the ID
    already belongs to another citizen, nothing is linked: an agent decides (ValidationFailed).
    """
    value = _national_id(national_id)
    try:
        record = registry_lookup(value)
    except RegistryUnavailable:
        record = None
    identity_add(
        contact=applicant,
        scheme=Identity.Scheme.NATIONAL_ID,
        raw_value=value,
        verified=record is not None,
    )
    if record is not None:
        changed = []
        for name in ("first_name", "last_name", "middle_name", "birth_date", "sex", "address_text"):
            if not getattr(applicant, name) and getattr(record, name):
                setattr(applicant, name, getattr(record, name))
                changed.append(name)
        if applicant.address_unit_id is None and record.address_unit_path:
            applicant.address_unit = AdminUnit.objects.filter(path=record.address_unit_path).first()
            changed.append("address_unit")
        if changed:
            applicant.save()
    return applicant


def intake_missing_documents(*, case: Case) -> list[RequiredDocument]:
    """The service's mandatory documents (and those that apply to the case) not yet attached."""
    return [
        row["required_document"]
        for row in document_checklist(case=case)
        if row["applies"] and not row["present"]
    ]


def intake_document_attach(
    *,
    case: Case,
    file: UploadedFile,
    required_document: RequiredDocument | None = None,
    actor: User | None = None,
) -> CaseDocument:
    """A document the applicant sent (checked by content), as one of the service's documents
    when they said which, else as "other" for the local worker to sort."""
    if required_document is not None and required_document.service_id != case.service_id:
        raise NotFound(_("That document is not one of this service's documents."))
    return case_document_add(
        case=case,
        actor=actor,
        file=file,
        kind=CaseDocument.Kind.REQUIRED if required_document else CaseDocument.Kind.OTHER,
        required_document=required_document,
    )
