"""The welfare office's pages for organisations' mark applications and the monthly
allowance payment list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.points import audit_shown
from crm.errors import DomainError
from crm.jurisdiction import unit_scope
from crm.models import AdminUnit

from .common import error_text, language, staff_required


def _organisations(request: HttpRequest):
    from cases.organisations import Organisation

    return Organisation.objects.filter(unit_scope(request.user, "unit"))


def _applications(request: HttpRequest, organisation):
    from cases.selectors import cases_visible_to

    return (
        cases_visible_to(user=request.user)
        .filter(organisation=organisation)
        .select_related("mark")
        .order_by("-created_at", "-id")
    )


@staff_required
def organisations(request: HttpRequest) -> HttpResponse:
    from cases import marks

    error = ""
    if request.method == "POST":
        unit = AdminUnit.objects.filter(pk=request.POST.get("unit") or None).first()
        try:
            if unit is None or not _unit_allowed(request, unit):
                raise DomainError(_("Choose the district the organisation is registered in."))
            organisation = marks.organisation_create(
                actor=request.user,
                name=request.POST.get("name", ""),
                bin=request.POST.get("bin", ""),
                unit=unit,
                contact_person=request.POST.get("contact_person", ""),
                phone=request.POST.get("phone", ""),
                telegram=request.POST.get("telegram", ""),
                address=request.POST.get("address", ""),
            )
        except DomainError as exc:
            error = error_text(exc)
        else:
            return redirect("console:organisation", pk=organisation.pk)
    units = _district_choices(request)
    return render(
        request,
        "console/organisations.html",
        {
            "rows": _organisations(request).order_by("name")[:200],
            "units": units,
            "error": error,
            "typed": request.POST if error else {},
        },
        status=400 if error else 200,
    )


def _district_choices(request: HttpRequest):
    user = request.user
    districts = AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT)
    if not user.sees_everything:
        districts = districts.filter(path__startswith=user.unit.path if user.unit_id else "-")
    return districts.order_by("path")


def _unit_allowed(request: HttpRequest, unit: AdminUnit) -> bool:
    return _district_choices(request).filter(pk=unit.pk).exists()


def _employee_lines(text: str) -> list[dict]:
    """One employee a line: IIN; disability (hearing, speech, vision, other or empty); pay."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(",", ";").split(";")]
        parts += [""] * (3 - len(parts))
        rows.append({"iin": parts[0], "disability": parts[1], "payroll": parts[2]})
    return rows


@staff_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    from cases import marks
    from cases.labels import action_label, status_label
    from cases.selectors import available_actions
    from cases.workflows.mark_rules import compute_for, explain

    org = _organisations(request).filter(pk=pk).first()
    if org is None:
        raise Http404(_("No such organisation in your area."))
    error = ""
    cases = list(_applications(request, org))
    current = next(iter(cases), None)
    if request.method == "POST":
        try:
            rows = _employee_lines(request.POST.get("employees", ""))
            specialised = request.POST.get("specialised") == "on"
            if current is not None and current.status in marks.EDITABLE:
                marks.mark_application_update(
                    case=current, actor=request.user, employees=rows, specialised=specialised
                )
            else:
                marks.mark_application_create(
                    organisation=org, actor=request.user, employees=rows, specialised=specialised
                )
        except DomainError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The application is saved."))
            return redirect("console:organisation", pk=org.pk)
    lang = language()
    applications = []
    for case in cases:
        application = case.mark
        computation = compute_for(application)
        applications.append(
            {
                "case": case,
                "status": status_label(case.status, lang, case.workflow),
                "application": application,
                "employees": list(application.employees.all()),
                "computation": computation,
                "explanation": explain(computation),
                "actions": [
                    (a, action_label(a, lang))
                    for a in available_actions(case=case, user=request.user)
                ],
                "can_copy": application.approved_at is not None,
            }
        )
    editable = current is not None and current.status in marks.EDITABLE
    lines = ""
    if editable:
        lines = "\n".join(
            f"{e.iin}; {e.disability}; {e.payroll}" for e in current.mark.employees.all()
        )
    return render(
        request,
        "console/organisation.html",
        {
            "org": org,
            "applications": applications,
            "editable": editable,
            "current": current,
            "lines": request.POST.get("employees", lines) if error else lines,
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_required
@require_POST
def organisation_copy(request: HttpRequest, pk: int) -> HttpResponse:
    from cases import marks

    org = _organisations(request).filter(pk=pk).first()
    case = next(iter(_applications(request, org)), None) if org else None
    if case is None:
        raise Http404(_("No such organisation in your area."))
    try:
        marks.mark_copy(case=case, actor=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    return redirect("console:organisation", pk=org.pk)


def _paid_cases(request: HttpRequest, listed):
    from cases.models import Case

    numbers = [row.case_number for row in listed.rows]
    return Case.objects.filter(number__in=numbers)


@staff_required
def payment_list(request: HttpRequest) -> HttpResponse:
    from cases import payments
    from cases.api.marks import payment_list_for

    month = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    district = request.GET.get("district", "")
    listed, error = None, ""
    try:
        listed = payment_list_for(request.user, district, month)
    except DomainError as exc:
        error = error_text(exc)
    if listed is not None:
        audit_shown(request, list(_paid_cases(request, listed)))
    export = request.GET.get("export")
    if listed is not None and export in ("csv", "xlsx"):
        body = (
            payments.payment_list_csv(listed)
            if export == "csv"
            else payments.payment_list_xlsx(listed)
        )
        kind = (
            "text/csv"
            if export == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(body, content_type=kind)
        name = f"payments-{listed.district.code or listed.district.pk}-{listed.month:%Y-%m}"
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    return render(
        request,
        "console/payments.html",
        {
            "listed": listed,
            "error": error,
            "month": month,
            "district": district,
            "districts": _district_choices(request),
        },
    )
