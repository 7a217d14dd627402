"""Console pages: the audit trail, "who looked at this person", per staff member, a citizen's
data rights, staff accounts and one's own password."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.jurisdiction import contacts_visible_to
from crm.models import Contact, User

from . import accounts, rights
from .models import Action
from .pdf import export_pdf
from .recorder import audit_record
from .selectors import audit_entries_visible_to, audit_filter, may_read_audit

PAGE_SIZE = 50
# A CSV export stops here; narrow the filters for more.
CSV_LIMIT = 50_000
FILTERS = ("contact", "actor", "since", "until", "action", "object_type")


def _only(test: Callable[[User], bool]) -> Callable:
    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not test(request.user):
                return HttpResponseForbidden(_("Your role cannot open this page."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _error(exc: DomainError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    extra = details.get("blockers") or []
    return " ".join([exc.message, *[e for e in extra if e not in exc.message]])


def _page(rows, request: HttpRequest) -> dict:
    from console.paging import numbered_page, page_number

    page = numbered_page(rows, number=page_number(request.GET.get("page")), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "rows": page.rows, "query": query.urlencode()}


def _filtered(request: HttpRequest, **fixed) -> tuple[dict, object]:
    values = {name: request.GET.get(name, "").strip() for name in FILTERS}
    values.update(fixed)
    rows = audit_filter(audit_entries_visible_to(user=request.user), **values)
    return values, rows


def _log_context(request: HttpRequest, **fixed) -> dict:
    values, rows = _filtered(request, **fixed)
    context = {"filters": values, "actions": Action.choices, **_page(rows, request)}
    return context


@_only(may_read_audit)
def audit_log(request: HttpRequest) -> HttpResponse:
    try:
        context = _log_context(request)
    except DomainError as exc:
        messages.error(request, _error(exc))
        return redirect("audit:log")
    return render(request, "audit/log.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@_only(may_read_audit)
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    try:
        values, rows = _filtered(request)
    except DomainError as exc:
        messages.error(request, _error(exc))
        return redirect("audit:log")
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="audit",
        detail="csv " + " ".join(f"{k}={v}" for k, v in values.items() if v)[:90],
    )
    writer = csv.writer(_Echo())
    header = ["at", "actor", "via", "ip", "action", "detail", "object_type", "object_id"]
    header += ["object_ids", "contact", "reason"]

    def lines():
        yield writer.writerow(header)
        for r in rows[:CSV_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    r.at.isoformat(),
                    r.actor_username,
                    r.via,
                    r.ip or "",
                    r.action,
                    r.detail,
                    r.object_type,
                    r.object_id,
                    " ".join(str(i) for i in r.object_ids),
                    r.contact_id or "",
                    r.reason,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


def _citizen(request: HttpRequest, pk: int) -> Contact:
    contact = contacts_visible_to(request.user).filter(pk=pk).first()
    if contact is None:
        raise Http404(_("No such citizen in your area."))
    return contact


def _may_open_citizen(user: User) -> bool:
    return may_read_audit(user) or rights.may_handle_rights(user)


@_only(_may_open_citizen)
def citizen_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Who looked at this person, and what the operator may do with their data."""
    contact = _citizen(request, pk)
    context: dict = {
        "contact": contact,
        "may_read_audit": may_read_audit(request.user),
        "may_handle": rights.may_handle_rights(request.user),
        "may_erase": rights.may_erase(request.user),
        "correctable": [
            (name, Contact._meta.get_field(name).verbose_name, getattr(contact, name))
            for name in rights.CORRECTABLE_FIELDS
        ],
        "sexes": Contact.Sex.choices,
        "blockers": rights.erasure_blockers(contact=contact),
    }
    if context["may_read_audit"]:
        try:
            context.update(_log_context(request, contact=str(contact.pk)))
        except DomainError as exc:
            messages.error(request, _error(exc))
    return render(request, "audit/citizen.html", context)


@_only(rights.may_handle_rights)
def citizen_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _citizen(request, pk)
    data = rights.contact_data_export(contact=contact, actor=request.user, fmt="json")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="citizen-{contact.pk}.json"'
    return response


@_only(rights.may_handle_rights)
def citizen_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _citizen(request, pk)
    data = rights.contact_data_export(contact=contact, actor=request.user, fmt="pdf")
    response = HttpResponse(export_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="citizen-{contact.pk}.pdf"'
    return response


def _citizen_action(request: HttpRequest, pk: int, do: Callable[[Contact], str]) -> HttpResponse:
    contact = _citizen(request, pk)
    try:
        done = do(contact)
    except DomainError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, done)
    return redirect("audit:citizen", pk=contact.pk)


@_only(rights.may_handle_rights)
@require_POST
def citizen_correct(request: HttpRequest, pk: int) -> HttpResponse:
    def do(contact: Contact) -> str:
        changes = {
            name: request.POST[name] for name in rights.CORRECTABLE_FIELDS if name in request.POST
        }
        rights.contact_correct(
            contact=contact,
            actor=request.user,
            changes=changes,
            reason=request.POST.get("reason", ""),
        )
        return _("The correction is saved and recorded in the audit trail.")

    return _citizen_action(request, pk, do)


@_only(rights.may_handle_rights)
@require_POST
def citizen_consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def do(contact: Contact) -> str:
        rights.contact_consent_withdraw(
            contact=contact, actor=request.user, reason=request.POST.get("reason", "")
        )
        return _("Consent withdrawn: no more notifications; a new request needs a new consent.")

    return _citizen_action(request, pk, do)


@_only(rights.may_erase)
@require_POST
def citizen_erase(request: HttpRequest, pk: int) -> HttpResponse:
    def do(contact: Contact) -> str:
        rights.contact_erase(
            contact=contact, actor=request.user, reason=request.POST.get("reason", "")
        )
        return _("The citizen's personal data is erased; only anonymous ids and figures remain.")

    return _citizen_action(request, pk, do)


# --- staff -----------------------------------------------------------------------------------


def _staff_visible(user: User):
    staff = User.objects.exclude(role="").order_by("username")
    if user.sees_everything:
        return staff
    if not user.unit_id:
        return staff.none()
    return staff.filter(unit__path__startswith=user.unit.path)


@_only(may_read_audit)
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "audit/staff_list.html",
        {"accounts": _staff_visible(request.user).select_related("unit")[:500]},
    )


@_only(may_read_audit)
def staff_page(request: HttpRequest, pk: int) -> HttpResponse:
    account = _staff_visible(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404(_("No such staff account in your area."))
    try:
        context = _log_context(request, actor=str(account.pk))
    except DomainError as exc:
        messages.error(request, _error(exc))
        context = {}
    context.update(
        {
            "account": account,
            "may_manage": accounts.may_manage_accounts(request.user),
            "new_password": request.session.pop("audit_new_password", None),
        }
    )
    return render(request, "audit/staff.html", context)


@_only(accounts.may_manage_accounts)
@require_POST
def staff_manage(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    account = _staff_visible(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404(_("No such staff account in your area."))
    reason = request.POST.get("reason", "")
    try:
        if what == "disable":
            accounts.account_disable(account=account, actor=request.user, reason=reason)
            messages.success(request, _("The account is disabled; its sessions and tokens ended."))
        elif what == "enable":
            accounts.account_enable(account=account, actor=request.user, reason=reason)
            messages.success(request, _("The account is enabled again."))
        elif what == "reset":
            password = accounts.account_password_reset(account=account, actor=request.user)
            # Shown once on the next page, never stored beyond this session.
            request.session["audit_new_password"] = password
            messages.success(request, _("A new password was set; give it to the person."))
        elif what == "unlock":
            accounts.account_unlock(account=account, actor=request.user)
            messages.success(request, _("Failed sign-ins are cleared; the account may sign in."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _error(exc))
    return redirect("audit:staff", pk=account.pk)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            accounts.password_change_own(
                request=request,
                old_password=request.POST.get("old_password", ""),
                new_password=request.POST.get("new_password", ""),
            )
        except DomainError as exc:
            return render(request, "audit/password.html", {"error": _error(exc)}, status=400)
        messages.success(request, _("Your password is changed; other sessions were signed out."))
        return redirect("console:home")
    return render(request, "audit/password.html", {})
