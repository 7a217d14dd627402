"""The forms of walk-in registration: the national ID, the household, the application, the
documents. They check what a person typed; the intake service decides the rest."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.intake import RELATIONSHIPS_ON_BEHALF, HealthStatus
from cases.models import Case, RequiredDocument, Service
from crm.models import Consent, HouseholdMember
from crm.national_ids import NationalIdError, parse_national_id
from crm.phones import PhoneError, normalize_phone


def _national_id(raw: str) -> str:
    try:
        return parse_national_id(raw).value
    except NationalIdError as exc:
        raise ValidationError(str(exc)) from exc


class NationalIdForm(forms.Form):
    """Step 1, "Бүртгэх": the registration number of the person who came in."""

    national_id = forms.CharField(
        label=_("National ID (registration number or IIN)"),
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def clean_national_id(self) -> str:
        return _national_id(self.cleaned_data["national_id"])


class HouseholdMemberForm(forms.Form):
    national_id = forms.CharField(label=_("National ID"), max_length=20)
    relationship = forms.ChoiceField(
        label=_("Relationship to the person"),
        choices=[
            (v, label)
            for v, label in HouseholdMember.Relationship.choices
            if v != HouseholdMember.Relationship.HEAD
        ],
    )
    monthly_income = forms.DecimalField(
        label=_("Monthly income"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        initial=0,
        required=False,
    )

    def clean_national_id(self) -> str:
        return _national_id(self.cleaned_data["national_id"])

    def clean_monthly_income(self) -> Decimal:
        return self.cleaned_data.get("monthly_income") or Decimal(0)


class ServiceChoiceField(forms.ModelChoiceField):
    """Services by their name in the worker's language, with the law they come from."""

    def label_from_instance(self, obj: Service) -> str:
        name = obj.name_in((get_language() or "en")[:2])
        return f"{name} ({obj.legal_basis})" if obj.legal_basis else name


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class WalkInApplicationForm(forms.Form):
    """Step 2: the service, the reason, health status, who applies and the consent."""

    service = ServiceChoiceField(
        label=_("Service"), queryset=Service.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Why the person needs the service"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    has_disability = forms.ChoiceField(
        label=_("Has a disability"),
        choices=[("", _("Not known yet")), *YES_NO],
        required=False,
        widget=forms.Select(attrs={"data-toggles": ""}),
    )
    disability_type = forms.CharField(label=_("Type of disability"), max_length=200, required=False)
    disability_percent = forms.IntegerField(
        label=_("Lost working capacity (%)"), min_value=0, max_value=100, required=False
    )
    applies = forms.ChoiceField(
        label=_("Who applies"),
        choices=[("self", _("The person themself")), ("other", _("A relative or carer for them"))],
        initial="self",
        widget=forms.RadioSelect(attrs={"data-toggles": ""}),
    )
    applicant_national_id = forms.CharField(
        label=_("Applicant's national ID"), max_length=20, required=False
    )
    relationship = forms.ChoiceField(
        label=_("Applicant's relationship to the person"),
        choices=[("", "—")]
        + [(v, label) for v, label in Case.Relationship.choices if v in RELATIONSHIPS_ON_BEHALF],
        required=False,
    )
    applicant_phone = forms.CharField(
        label=_("Phone for messages about the request"), max_length=30, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "The person (or the applicant on their behalf) agrees that their personal data is "
            "processed for this application."
        ),
        required=True,
        error_messages={"required": _("Without consent the application cannot be registered.")},
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[
            (Consent.Method.SIGNED_FORM, _("Signed the paper form")),
            (Consent.Method.VERBAL, _("Said aloud to me")),
        ],
        initial=Consent.Method.SIGNED_FORM,
    )
    notifications = forms.ChoiceField(
        label=_("May we send messages (SMS, Telegram) about the request?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services

    def clean_applicant_national_id(self) -> str:
        raw = self.cleaned_data.get("applicant_national_id", "").strip()
        return _national_id(raw) if raw else ""

    def clean_applicant_phone(self) -> str:
        raw = self.cleaned_data.get("applicant_phone", "").strip()
        if not raw:
            return ""
        try:
            return normalize_phone(raw)
        except PhoneError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self) -> dict:
        data = super().clean()
        if data.get("applies") == "other":
            if not data.get("applicant_national_id") and "applicant_national_id" not in self.errors:
                self.add_error(
                    "applicant_national_id",
                    _("Enter the national ID of the person applying on the citizen's behalf."),
                )
            if not data.get("relationship"):
                self.add_error("relationship", _("Say how the applicant is related to the person."))
        if data.get("has_disability") == "yes":
            if not (data.get("disability_type") or "").strip():
                self.add_error("disability_type", _("Enter the type of disability."))
            if data.get("disability_percent") is None:
                self.add_error(
                    "disability_percent", _("Enter the percentage of lost working capacity.")
                )
        return data

    @property
    def for_someone_else(self) -> bool:
        return self.cleaned_data.get("applies") == "other"

    def health(self) -> HealthStatus:
        answer = self.cleaned_data.get("has_disability")
        if not answer:
            return HealthStatus()
        has = answer == "yes"
        return HealthStatus(
            has_disability=has,
            disability_type=(self.cleaned_data.get("disability_type") or "").strip() if has else "",
            disability_percent=self.cleaned_data.get("disability_percent") if has else None,
        )


class DocumentsForm(forms.Form):
    """Step 3: a file for each of the service's documents still missing; health papers carry
    their date of issue (they must be recent). Nothing is required here: a draft may wait."""

    def __init__(self, *args, documents: list[RequiredDocument], language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        for document in documents:
            self.fields[f"file_{document.pk}"] = forms.FileField(
                label=document.name_in(language), required=False
            )
            if document.valid_months:
                self.fields[f"issued_{document.pk}"] = forms.DateField(
                    label=_("Date of issue"),
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}),
                )

    def clean(self) -> dict:
        data = super().clean()
        for document in self.documents:
            if (
                document.valid_months
                and data.get(f"file_{document.pk}")
                and not data.get(f"issued_{document.pk}")
            ):
                self.add_error(
                    f"issued_{document.pk}",
                    _("Enter the date this document was issued: it must be recent."),
                )
        return data

    def uploads(self) -> list[tuple[RequiredDocument, object, object]]:
        """(document, file, date of issue) for every file chosen."""
        return [
            (d, self.cleaned_data[f"file_{d.pk}"], self.cleaned_data.get(f"issued_{d.pk}"))
            for d in self.documents
            if self.cleaned_data.get(f"file_{d.pk}")
        ]

    def bound_rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return [
            (
                self[f"file_{d.pk}"],
                self[f"issued_{d.pk}"] if d.valid_months else None,
            )
            for d in self.documents
        ]
