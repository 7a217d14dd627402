"""Services, cases, their documents and history, and the care homes cases are placed in.

A case's ``status`` is changed only by ``cases.transitions.case_apply_action``; nothing here
(no ``save()`` override, no signal) moves it.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import AdminUnit, Channel, Contact, Interaction

from . import tally
from .breaches import Breach, StepTime
from .office_hours import CalendarOverride, OfficeHours
from .organisations import AllowanceEntitlement, MarkApplication, MarkEmployee, Organisation
from .tally import CaseTally

# Registered with the cases app by this import.
__all__ = [
    "AllowanceEntitlement",
    "Breach",
    "CalendarOverride",
    "CaseTally",
    "MarkApplication",
    "MarkEmployee",
    "OfficeHours",
    "Organisation",
    "StepTime",
]


class Status(models.TextChoices):
    """Every workflow's statuses (the contract's names); each workflow uses some of them."""

    DRAFT = "draft", _("Saved (draft)")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ALLOCATED = "allocated", _("Allocated")
    WAITLISTED = "waitlisted", _("Waitlisted")
    IN_SERVICE = "in_service", _("In service")
    DISCHARGED = "discharged", _("Discharged")
    CANCELLED = "cancelled", _("Cancelled")
    # Kazakh social assistance (seed 004), office and rural-akim routes.
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Executor appointed")
    IN_SURVEY = "in_survey", _("In survey (local commission)")
    SURVEYED = "surveyed", _("Surveyed")
    FORWARDED = "forwarded", _("Forwarded to the office")
    IN_REVIEW = "in_review", _("In review (special commission)")
    DECIDED = "decided", _("Decided")
    PREPARED = "prepared", _("Result prepared")
    SIGNED = "signed", _("Signed")
    SENT_TO_AKIM = "sent_to_akim", _("Sent to the akim")
    ISSUED = "issued", _("Issued")
    SUSPENDED = "suspended", _("Suspended (documents missing)")
    # The organisation mark (seed 003).
    SENT = "sent", _("Sent for processing")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ERROR = "error", _("Error (registry)")
    EXPIRED = "expired", _("Expired")


class Workflow(models.TextChoices):
    PLACEMENT = "placement", _("Care-home placement")
    ALLOWANCE = "allowance", _("Allowance (approve and pay)")
    SOCIAL_ASSISTANCE = (
        "social_assistance",
        _("Social assistance (decision of local representative bodies)"),
    )
    ORGANISATION_MARK = "organisation_mark", _("Association of persons with disabilities mark")


class ReturnReason(models.TextChoices):
    """Why a district office sent a case back: codes, so supervisors can count them."""

    MISSING_DOCUMENT = "missing_document", _("Missing document")
    EXPIRED_HEALTH_CERTIFICATE = "expired_health_certificate", _("Expired health certificate")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    DUPLICATE = "duplicate", _("Duplicate request")
    OTHER = "other", _("Other")


class Country(models.TextChoices):
    """The countries a deployment can serve (``crm.countries.SUPPORTED_COUNTRIES``)."""

    MN = "MN", _("Mongolia")
    KZ = "KZ", _("Kazakhstan")


#: The currency a country's services are paid in.
CURRENCY_OF = {Country.MN: "MNT", Country.KZ: "KZT"}


class MultilingualName(models.Model):
    name_mn = models.CharField(_("name (Mongolian)"), max_length=600)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=600)
    name_ru = models.CharField(_("name (Russian)"), max_length=600)
    name_en = models.CharField(_("name (English)"), max_length=600)

    class Meta:
        abstract = True

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en


# --- service catalogue ---------------------------------------------------------------------


class Service(MultilingualName):
    """One entry of the service catalogue (seed 001): what, for whom, how much, which papers."""

    class Frequency(models.TextChoices):
        ONCE = "once", _("Once")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        NONE = "none", _("Not a payment")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("e.g. Social Welfare Law 13.2.1")
    )
    eligibility_mn = models.TextField(_("who is eligible (Mongolian)"), blank=True)
    eligibility_en = models.TextField(_("who is eligible (English)"), blank=True)
    payment_frequency = models.CharField(
        _("payment frequency"), max_length=10, choices=Frequency.choices, default=Frequency.NONE
    )
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # A service is offered in one country: the case's unit decides which catalogue applies.
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.MN, db_index=True
    )
    workflow = models.CharField(
        _("workflow"), max_length=20, choices=Workflow.choices, default=Workflow.PLACEMENT
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")

    def __str__(self) -> str:
        return f"{self.name_en} ({self.legal_basis})" if self.legal_basis else self.name_en


ServiceCatalogItem = Service


class RequiredDocument(MultilingualName):
    """A paper a case of this service needs; health papers expire after ``valid_months``."""

    class Requirement(models.TextChoices):
        MANDATORY = "mandatory", _("Mandatory")
        CONDITIONAL = "conditional", _("Only in some situations")

    class Condition(models.TextChoices):
        NONE = "", _("None")
        DISABILITY = "disability", _("When the person has a disability")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    code = models.SlugField(_("code"), max_length=60)
    requirement = models.CharField(
        _("requirement"),
        max_length=12,
        choices=Requirement.choices,
        default=Requirement.MANDATORY,
    )
    condition = models.CharField(
        _("enforced when"),
        max_length=20,
        choices=Condition.choices,
        blank=True,
        help_text=_(
            "A conditional document with a condition is checked on submit when it applies; "
            "one without is the worker's judgement."
        ),
    )
    is_health_document = models.BooleanField(_("health document"), default=False)
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("How recent the issue date must be when the case is submitted."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="required_document_code")
        ]

    def __str__(self) -> str:
        return self.name_en

    def applies_to(self, case: Case) -> bool:
        if self.requirement == self.Requirement.MANDATORY:
            return True
        return self.condition == self.Condition.DISABILITY and bool(case.has_disability)


# --- facilities ------------------------------------------------------------------------------


class Facility(models.Model):
    """A care home. Beds are counted in its wards (one mixed ward, or one per sex)."""

    class Accreditation(models.TextChoices):
        ACCREDITED = "accredited", _("Accredited")
        LICENSED = "licensed", _("Licensed")
        SUSPENDED = "suspended", _("Suspended")
        NONE = "none", _("Not accredited")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="facilities"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    accreditation = models.CharField(
        _("accreditation"),
        max_length=12,
        choices=Accreditation.choices,
        default=Accreditation.NONE,
    )
    accreditation_valid_until = models.DateField(
        _("accredited/licensed until"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("care home")
        verbose_name_plural = _("care homes")

    def __str__(self) -> str:
        return self.name

    def accredited_on(self, day) -> bool:
        return (
            self.is_active
            and self.accreditation in (self.Accreditation.ACCREDITED, self.Accreditation.LICENSED)
            and self.accreditation_valid_until is not None
            and self.accreditation_valid_until >= day
        )

    def bed_totals(self) -> dict[str, int]:
        totals = self.wards.aggregate(
            capacity=Sum("capacity"), occupied=Sum("occupied"), reserved=Sum("reserved")
        )
        totals = {k: v or 0 for k, v in totals.items()}
        totals["free"] = totals["capacity"] - totals["occupied"] - totals["reserved"]
        return totals

    @property
    def separates_sexes(self) -> bool:
        return self.wards.exclude(sex="").exists()


class Ward(models.Model):
    """Beds of one kind in a facility: ``sex`` empty for a mixed ward."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="wards")
    sex = models.CharField(_("for"), max_length=1, choices=Contact.Sex.choices, blank=True)
    capacity = models.PositiveIntegerField(_("beds"))
    occupied = models.PositiveIntegerField(_("occupied"), default=0)
    reserved = models.PositiveIntegerField(
        _("reserved"), default=0, help_text=_("Held for allocated and waitlisted cases.")
    )

    class Meta:
        ordering = ["facility", "sex"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards (bed capacity)")
        constraints = [
            models.UniqueConstraint(fields=["facility", "sex"], name="one_ward_per_sex"),
            # The last line of defence against double booking.
            models.CheckConstraint(
                condition=Q(occupied__lte=F("capacity") - F("reserved")),
                name="ward_never_overbooked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility}: {self.get_sex_display() or _('mixed')}"

    @property
    def free(self) -> int:
        return self.capacity - self.occupied - self.reserved

    def clean(self) -> None:
        if self.capacity is not None and self.capacity < self.occupied + self.reserved:
            raise ValidationError(
                {
                    "capacity": _("At least %(n)s: that many beds are occupied or reserved.")
                    % {"n": self.occupied + self.reserved}
                }
            )


class FacilityStaff(models.Model):
    """Ties a care-home staff account to its one facility."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facility_link"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="staff_links")

    class Meta:
        verbose_name = _("care-home staff member")
        verbose_name_plural = _("care-home staff")

    def __str__(self) -> str:
        return f"{self.user} @ {self.facility}"

    def clean(self) -> None:
        if self.user_id and self.user.role != "facility_staff":
            raise ValidationError({"user": _("Only accounts with the care-home staff role.")})


# --- cases -----------------------------------------------------------------------------------


class CaseCounter(models.Model):
    """The last case number issued per year; locked row per year makes numbers race-free."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Route(models.TextChoices):
    """Where a social-assistance application was received (seed 004)."""

    OFFICE = "office", _("At the district office")
    AKIM = "akim", _("Through the rural akim")


class Decision(models.TextChoices):
    ASSIGNED = "assigned", _("Assistance assigned")
    REFUSED = "refused", _("Assistance refused")


class Case(models.Model):
    class Relationship(models.TextChoices):
        SELF = "", _("The person themself")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        RELATIVE = "relative", _("Other relative")
        CARER = "carer", _("Carer or guardian")
        NEIGHBOUR = "neighbour", _("Neighbour")
        AGENT = "agent", _("Call-centre agent on their behalf")
        OTHER = "other", _("Other")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    beneficiary = models.ForeignKey(
        Contact, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant = models.ForeignKey(
        Contact,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_("Who asked on the beneficiary's behalf, if not the person themself."),
    )
    applicant_relationship = models.CharField(
        _("applicant's relationship"), max_length=20, choices=Relationship.choices, blank=True
    )
    origin_channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    origin_interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # The district (level 2) the unit belongs to: the waiting queue is per district.
    district = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_for_care = models.TextField(_("reason the person needs care"), blank=True)
    has_disability = models.BooleanField(_("has a disability"), null=True, blank=True)
    disability_type = models.CharField(_("type of disability"), max_length=200, blank=True)
    disability_percent = models.PositiveSmallIntegerField(
        _("lost working capacity (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"),
        default=0,
        validators=[MaxValueValidator(3)],
        help_text=_("0 routine to 3 critical, set by the district worker."),
    )
    priority_score = models.PositiveIntegerField(_("priority score"), default=0)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("care home"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    assigned_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned workers"),
        blank=True,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_cases",
    )
    due_date = models.DateField(
        _("due"), null=True, blank=True, help_text=_("When the current step should be done.")
    )
    # The same deadline to the minute (steps may be due in minutes or hours of office time).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # An organisation applying (seed 003): the case's beneficiary is then its contact.
    organisation = models.ForeignKey(
        "cases.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # --- social assistance (seed 004): what its steps record -------------------------------
    route = models.CharField(
        _("route"),
        max_length=10,
        choices=Route.choices,
        blank=True,
        help_text=_("Set by the first step: received at the office or by a rural akim."),
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible executor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="executed_cases",
    )
    household_size = models.PositiveSmallIntegerField(_("family members"), null=True, blank=True)
    household_income = models.DecimalField(
        _("family's monthly income"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    per_capita_income = models.DecimalField(
        _("average monthly income per person"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    assistance_amount = models.DecimalField(
        _("amount of assistance"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_cases",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # Missing or lost papers stretch the whole service to its longest term (20 working days).
    extended_until = models.DateField(_("term extended until"), null=True, blank=True)
    # --- placement: what the care home recorded when the person moved in ------------------
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    bed = models.CharField(_("bed"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(
                fields=["district", "status", "-priority_score", "submitted_at"],
                name="case_queue_idx",
            ),
            models.Index(fields=["facility", "status"], name="case_facility_idx"),
            # Province and national lists (no single district): the unit join and the
            # country-wide queue order. Province worklist 70 -> 26 ms on the bench data.
            models.Index(fields=["unit", "status"], name="case_unit_status_idx"),
            models.Index(
                fields=["status", "-priority_score", "submitted_at"], name="case_status_queue_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(facility__isnull=True)
                | Q(status__in=["allocated", "waitlisted", "in_service", "discharged"]),
                name="case_facility_only_when_placed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.beneficiary}"

    def save(self, *args, **kwargs) -> None:
        # District-level workers see cases by ``district`` (the queue index): it must follow
        # the unit whenever the unit changes, through whatever code saves the case.
        update_fields = kwargs.get("update_fields")
        unit_saved = update_fields is None or "unit" in update_fields
        if self._state.adding:
            moved = self.district_id is None and self.unit_id is not None
        else:
            moved = unit_saved and self.unit_id != getattr(self, "_stored_unit_id", None)
        if moved:
            self.district = unit_district(self.unit)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "district"}
        # The maintained counts move with the row, in the same transaction (see cases.tally).
        adding = self._state.adding
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not tally.COUNTED_FIELDS & set(update_fields):
            super().save(*args, **kwargs)
            self._stored_unit_id = self.unit_id
            return
        with transaction.atomic(using=kwargs.get("using")):
            # The group the row is in now, read under the row lock: this instance may be
            # stale (another one saved the case since), a concurrent writer waits for us.
            old = None if adding else tally.stored_key(self.pk, lock=True)
            super().save(*args, **kwargs)
            # A partial save writes only some columns: the group is what the row now holds.
            new = (update_fields is None and tally.partial_key(self)) or tally.stored_key(self.pk)
            tally.tally_move(old, new)
        self._stored_unit_id = self.unit_id

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._stored_unit_id = case.__dict__.get("unit_id")
        return case

    @property
    def workflow(self) -> str:
        return self.service.workflow

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


def unit_district(unit: AdminUnit | None) -> AdminUnit | None:
    """The soum/district (level 2) a unit is in: the waiting queue is per district."""
    if unit is None or unit.level < AdminUnit.Level.DISTRICT:
        return None
    if unit.level == AdminUnit.Level.DISTRICT:
        return unit
    return unit.ancestors().filter(level=AdminUnit.Level.DISTRICT).first()


def _document_path(instance: CaseDocument, filename: str) -> str:
    # A random name: the citizen's file name may carry personal data and must not collide.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"cases/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        """Workflow documents the district office attaches (not in the service's list)."""

        REQUIRED = "required", _("Document of the service's list")
        GOVERNOR_DECREE = "governor_decree", _("Governor's decree")
        WELFARE_LETTER = "welfare_letter", _("Welfare office letter")
        CONTRACT = "contract", _("Contract")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REQUIRED)
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("document type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uploads",
    )
    issue_date = models.DateField(_("issued on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="required", required_document__isnull=False)
                | (~Q(kind="required") & Q(required_document__isnull=True)),
                name="case_document_type_matches_kind",
            )
        ]

    def __str__(self) -> str:
        label = self.required_document.name_en if self.required_document_id else self.kind
        return f"{self.case.number}: {label}"


class CaseEvent(models.Model):
    """One line of a case's history. Append-only: never updated, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
    )
    reason_code = models.CharField(
        _("reason code"), max_length=30, choices=ReturnReason.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action} {self.from_status} -> {self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Case events are append-only.")


class CaseStatusLink(models.Model):
    """A random, revocable token that opens a public read-only status page of one case.

    Stored as is (not derived from a key), so it survives a key rotation and a printed ticket
    keeps working until someone revokes it. The page it opens shows nothing personal.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_links")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("public status link")
        verbose_name_plural = _("public status links")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.token[:6]}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CaseNote(models.Model):
    """A worker's note on a case: what was said, seen or agreed, for the next person reading."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="case_notes",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "-created_at"], name="case_note_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:40]}"


class CaseTask(models.Model):
    """Something one person must do on a case by a date (call the family, visit the home)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    due_on = models.DateField(_("due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="case_tasks_set",
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        indexes = [
            # The worklist's "my open tasks, soonest first".
            models.Index(
                fields=["assignee", "due_on"],
                name="case_task_open_idx",
                condition=Q(done_at__isnull=True),
            ),
            models.Index(fields=["case", "due_on"], name="case_task_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.title}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
