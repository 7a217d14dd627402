"""Organisations as applicants, and their "association of persons with disabilities" mark
applications (seed 003): the employees listed by IIN, each looked up in the state registry."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import AdminUnit, Contact
from crm.national_ids import iin_check_digit

MAX_EMPLOYEES = 100


def bin_error(raw: str) -> str:
    """Why ``raw`` cannot be a Kazakh BIN ("" when it can): 12 digits, the IIN check digit."""
    value = (raw or "").strip().replace(" ", "")
    if not value.isdigit() or len(value) != 12:
        return str(_("A BIN is exactly 12 digits."))
    if value[4] not in "456":
        return str(_("The 5th digit of a BIN must be 4, 5 or 6 (the kind of legal entity)."))
    if iin_check_digit(value[:11]) != int(value[11]):
        return str(_("The BIN's check digit does not match: check for a typo."))
    return ""


def validate_bin(value: str) -> None:
    problem = bin_error(value)
    if problem:
        raise ValidationError(problem)


class Organisation(models.Model):
    """A legal entity that applies for services; reached through its ``contact``'s phone and
    Telegram like any citizen, so notifications and the timeline work unchanged."""

    name = models.CharField(_("name"), max_length=300)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    address = models.CharField(_("address"), max_length=300, blank=True)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="organisations"
    )
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact = models.OneToOneField(
        Contact,
        verbose_name=_("reached through"),
        on_delete=models.PROTECT,
        related_name="organisation",
        help_text=_("The phone and Telegram identities the organisation is reached on."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.bin})"


class MarkApplication(models.Model):
    """What an ``organisation_mark`` case holds beyond the case: the rule's computation."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="mark")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mark_applications"
    )
    specialised = models.BooleanField(
        _("specialised organisation"),
        default=False,
        help_text=_(
            "Employs people with hearing, speech or vision loss: 35% of the payroll suffices."
        ),
    )
    copied_from = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mark_copies",
    )
    computation = models.JSONField(_("computation"), default=dict, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("mark valid until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("mark application")
        verbose_name_plural = _("mark applications")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.organisation}"


class MarkEmployee(models.Model):
    class Lookup(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        FOUND = "found", _("Found in the registry")
        NOT_FOUND = "not_found", _("Not in the registry")
        FAILED = "failed", _("Registry did not answer")

    class Disability(models.TextChoices):
        NONE = "", _("No disability")
        HEARING = "hearing", _("Hearing loss")
        SPEECH = "speech", _("Speech loss")
        VISION = "vision", _("Vision loss")
        OTHER = "other", _("Other disability")

    application = models.ForeignKey(
        MarkApplication, on_delete=models.CASCADE, related_name="employees"
    )
    iin = models.CharField(_("IIN"), max_length=12)
    disability = models.CharField(
        _("disability"), max_length=10, choices=Disability.choices, blank=True
    )
    payroll = models.DecimalField(_("monthly pay"), max_digits=14, decimal_places=2)
    lookup = models.CharField(
        _("registry check"), max_length=10, choices=Lookup.choices, default=Lookup.PENDING
    )
    full_name = models.CharField(_("name in the registry"), max_length=310, blank=True)
    lookup_error = models.CharField(_("registry error"), max_length=300, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(fields=["application", "iin"], name="mark_employee_once")
        ]

    def __str__(self) -> str:
        return self.iin

    @property
    def has_disability(self) -> bool:
        return bool(self.disability)


class AllowanceEntitlement(models.Model):
    """A granted allowance paid monthly from the approval month until it is stopped."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="entitlement")
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    # First days of months: paid for every month from ``first_month`` to ``last_month``.
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["first_month", "id"]
        verbose_name = _("allowance entitlement")
        verbose_name_plural = _("allowance entitlements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_month__isnull=True)
                | models.Q(last_month__gte=models.F("first_month")),
                name="entitlement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.monthly_amount} {self.currency}"
