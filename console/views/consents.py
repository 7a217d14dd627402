"""A citizen's consent from the console: recorded as given aloud or on paper (a walk-in, an
agent on a call), withdrawn after a confirmation. The one consent record and its service
(``crm.consents``) do the work; these pages only ask and show."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.consents import consent_messages_refuse, consent_record, consent_withdraw
from crm.errors import DomainError
from crm.jurisdiction import contacts_visible_to
from crm.models import Consent, Contact, Role

from ..consent_forms import ConsentRecordForm, ConsentWithdrawForm
from .common import error_text, staff_required

# Supervisors read; care-home staff do not handle citizens' records.
READ_ONLY_ROLES = (Role.SUPERVISOR, Role.FACILITY_STAFF)


def may_record_consent(user) -> bool:
    return user.is_superuser or (bool(user.role) and user.role not in READ_ONLY_ROLES)


def _back(request: HttpRequest, contact: Contact) -> str:
    """Where the form came from (the citizen's, a case's or a conversation's page)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("console:contact", args=[contact.pk])


def _contact_for(request: HttpRequest, pk: int) -> Contact:
    contact = contacts_visible_to(request.user).filter(pk=pk).first()
    if contact is None:
        raise Http404(_("No such citizen in your area."))
    return contact


@staff_required
@require_POST
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen consents aloud (on a call, at the desk) or on paper: written down here."""
    contact = _contact_for(request, pk)
    back = _back(request, contact)
    if not may_record_consent(request.user):
        messages.error(request, _("Your role cannot record consent."))
        return redirect(back)
    form = ConsentRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what the consent is for, how and where it was given."))
        return redirect(back)
    evidence = {}
    if request.POST.get("conversation", "").isdigit():
        evidence["conversation"] = int(request.POST["conversation"])
    try:
        consent_record(
            subject=contact,
            given_by=contact,
            purpose=form.cleaned_data["purpose"],
            method=form.cleaned_data["method"],
            channel=form.cleaned_data["channel"],
            evidence=evidence,
            recorded_by=request.user,
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Consent recorded."))
    return redirect(back)


@staff_required
@require_POST
def consent_messages_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen says they do not want to be messaged (nothing was given to withdraw)."""
    contact = _contact_for(request, pk)
    back = _back(request, contact)
    if not may_record_consent(request.user):
        messages.error(request, _("Your role cannot record consent."))
        return redirect(back)
    try:
        consent_messages_refuse(subject=contact)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("No case notifications will be sent to this citizen."))
    return redirect(back)


@staff_required
def consent_withdraw_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawing is for good (a new consent is needed after it): a page asks first."""
    consent = (
        Consent.objects.select_related("subject", "given_by", "recorded_by")
        .filter(pk=pk, subject__in=contacts_visible_to(request.user))
        .first()
    )
    if consent is None:
        raise Http404(_("No such consent in your area."))
    back = _back(request, consent.subject)
    if not may_record_consent(request.user):
        messages.error(request, _("Your role cannot record consent."))
        return redirect(back)
    if consent.withdrawn_at is not None:
        messages.info(request, _("This consent was already withdrawn."))
        return redirect(back)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(
                consent=consent,
                channel=form.cleaned_data["channel"],
                withdrawn_by=consent.subject,
                reason=form.cleaned_data["reason"],
                recorded_by=request.user,
            )
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Consent withdrawn: %(purpose)s.") % {"purpose": consent.get_purpose_display()},
            )
        return redirect(back)
    return render(
        request,
        "console/consent_withdraw.html",
        {"consent": consent, "form": form, "back": back},
        status=400 if form.errors else 200,
    )
