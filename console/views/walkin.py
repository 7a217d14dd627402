"""Walk-in registration ("Бүртгэх", seed 000): a citizen, or a relative for them, at the
local office. The worker looks the person up by national ID, checks the household, takes the
application with the person's consent (the same intake as Telegram and the kiosk), attaches
the papers brought along and sends the request or keeps it as a draft."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.intake import intake_services, intake_walk_in_submit
from cases.models import Case, Status
from cases.selectors import cases_visible_to, document_checklist
from cases.services import case_document_add
from cases.transitions import case_apply_action
from crm import households
from crm.errors import DomainError, NotFound
from crm.jurisdiction import can_see_contact, can_see_unit, contacts_visible_to
from crm.models import AdminUnit, Contact, Identity, Role
from crm.registry import RegistryUnavailable, registry_lookup
from crm.services import contact_for_identity, contact_from_registry

from ..walkin_forms import DocumentsForm, HouseholdMemberForm, NationalIdForm, WalkInApplicationForm
from .common import error_text, language, staff_required

REGISTER_ROLES = (Role.LOCAL_WORKER, Role.ADMIN)


def may_register(user) -> bool:
    """Walk-in registration is the soum/khoroo worker's desk job."""
    return user.is_superuser or user.role in REGISTER_ROLES


def _register_required(view):
    @staff_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_register(request.user):
            messages.error(request, _("Only local social workers register walk-in citizens."))
            return redirect("console:home")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _person_in_registry(user, national_id: str) -> Contact:
    """The citizen with this (valid) national ID: ours, else created from the registry.

    Someone registered outside the worker's area is refused before anything is stored.
    """
    known = contact_for_identity(scheme=Identity.Scheme.NATIONAL_ID, value=national_id)
    if known is None:
        try:
            record = registry_lookup(national_id)
        except RegistryUnavailable as exc:
            raise NotFound(
                _("The state registry is not answering; try again in a few minutes.")
            ) from exc
        if record is None:
            raise NotFound(
                _("No person with the national ID %(id)s is in the state registry.")
                % {"id": national_id}
            )
        unit = AdminUnit.objects.filter(path=record.address_unit_path).first()
        if not can_see_unit(user, unit):
            raise NotFound(
                _(
                    "The registry gives an address outside your area (%(address)s): the "
                    "local office there registers this person."
                )
                % {"address": record.address_text or record.address_unit_path}
            )
    contact, _created = contact_from_registry(national_id=national_id)
    if not can_see_contact(user, contact):
        raise NotFound(_("This citizen lives outside your area."))
    return contact


@_register_required
def walkin_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the national ID of the person who needs the service."""
    form = NationalIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = _person_in_registry(request.user, form.cleaned_data["national_id"])
        except DomainError as exc:
            form.add_error("national_id", error_text(exc))
        else:
            return redirect("console:walkin_person", pk=person.pk)
    status = 400 if form.errors else 200
    return render(request, "console/walkin.html", {"form": form}, status=status)


def _person_for(request: HttpRequest, pk: int) -> Contact:
    person = contacts_visible_to(request.user).filter(pk=pk, merged_into__isnull=True).first()
    if person is None:
        raise Http404(_("No such citizen in your area."))
    return person


def _person_context(request: HttpRequest, person: Contact, **extra) -> dict:
    household = households.household_of(contact=person)
    services = intake_services(unit=person.address_unit)
    return {
        "person": person,
        "household": household,
        "members": households.household_members(household=household),
        "member_form": extra.pop("member_form", None) or HouseholdMemberForm(),
        "form": extra.pop("form", None)
        or WalkInApplicationForm(services=services, initial={"applies": "self"}),
        "open_cases": list(
            cases_visible_to(user=request.user)
            .filter(beneficiary=person)
            .exclude(status__in=(Status.CANCELLED, Status.DISCHARGED))
            .select_related("service")[:10]
        ),
        **extra,
    }


@_register_required
def walkin_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: who the person is, their household, and the application with consent."""
    person = _person_for(request, pk)
    if request.method != "POST":
        return render(request, "console/walkin_person.html", _person_context(request, person))
    services = intake_services(unit=person.address_unit)
    form = WalkInApplicationForm(request.POST, services=services)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = intake_walk_in_submit(
                beneficiary=person,
                service=data["service"],
                actor=request.user,
                consent_method=data["consent_method"],
                notifications=data["notifications"] == "yes",
                reason=data["reason"],
                health=form.health(),
                applicant_national_id=data["applicant_national_id"]
                if form.for_someone_else
                else "",
                applicant_phone=data["applicant_phone"],
                relationship=data["relationship"] if form.for_someone_else else "",
            )
        except DomainError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Request %(number)s is registered as a draft. Attach the papers and send it.")
                % {"number": result.case.number},
            )
            return redirect("console:walkin_documents", pk=result.case.pk)
    context = _person_context(request, person, form=form)
    return render(request, "console/walkin_person.html", context, status=400)


@_register_required
@require_POST
def walkin_household(request: HttpRequest, pk: int) -> HttpResponse:
    """Add someone to the person's household, or take someone out (``remove``)."""
    person = _person_for(request, pk)
    remove = request.POST.get("remove", "")
    if remove:
        try:
            households.household_member_remove(
                person=person, member_id=int(remove) if remove.isdigit() else 0
            )
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Removed from the household."))
        return redirect("console:walkin_person", pk=person.pk)
    member_form = HouseholdMemberForm(request.POST)
    if member_form.is_valid():
        try:
            member = households.household_member_add(
                person=person,
                national_id=member_form.cleaned_data["national_id"],
                relationship=member_form.cleaned_data["relationship"],
                monthly_income=member_form.cleaned_data["monthly_income"],
            )
        except DomainError as exc:
            member_form.add_error("national_id", error_text(exc))
        else:
            messages.success(
                request, _("%(name)s was added to the household.") % {"name": member.contact}
            )
            return redirect("console:walkin_person", pk=person.pk)
    context = _person_context(request, person, member_form=member_form)
    return render(request, "console/walkin_person.html", context, status=400)


def _draft_for(request: HttpRequest, pk: int) -> Case:
    case = (
        cases_visible_to(user=request.user)
        .select_related("service", "beneficiary")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(_("No such case in your jurisdiction."))
    return case


def _documents_context(case: Case, form: DocumentsForm | None = None) -> dict:
    lang = language()
    checklist = document_checklist(case=case)
    missing = [r["required_document"] for r in checklist if not r["present"]]
    return {
        "case": case,
        "service_name": case.service.name_in(lang),
        "checklist": [{**row, "name": row["required_document"].name_in(lang)} for row in checklist],
        "form": form or DocumentsForm(documents=missing, language=lang),
        "editable": case.status in (Status.DRAFT, Status.RETURNED),
    }


@_register_required
def walkin_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the papers the person brought; then send the request or keep the draft."""
    case = _draft_for(request, pk)
    if request.method != "POST":
        return render(request, "console/walkin_documents.html", _documents_context(case))
    lang = language()
    pending = [r["required_document"] for r in document_checklist(case=case) if not r["present"]]
    form = DocumentsForm(request.POST, request.FILES, documents=pending, language=lang)
    if not form.is_valid():
        context = _documents_context(case, form)
        return render(request, "console/walkin_documents.html", context, status=400)
    attached = 0
    try:
        for document, upload, issued in form.uploads():
            case_document_add(
                case=case,
                actor=request.user,
                file=upload,
                required_document=document,
                issue_date=issued,
            )
            attached += 1
    except DomainError as exc:
        # The files attached before the refused one are kept: the worker sees them ticked.
        messages.error(request, error_text(exc))
        return redirect("console:walkin_documents", pk=case.pk)
    if attached:
        messages.success(request, _("%(count)s document(s) attached.") % {"count": attached})
    if "send" not in request.POST:
        messages.info(request, _("The request is kept as a draft in your list of saved requests."))
        return redirect("console:case", pk=case.pk)
    try:
        case_apply_action(case=case, action="submit", actor=request.user)
    except DomainError as exc:
        messages.error(
            request,
            _("The request is kept as a draft and was not sent: %(why)s")
            % {"why": error_text(exc)},
        )
        return redirect("console:walkin_documents", pk=case.pk)
    messages.success(
        request,
        _("Request %(number)s was sent to the district welfare office.") % {"number": case.number},
    )
    return redirect("console:case", pk=case.pk)
