"""Finding and identifying citizens: search, registry lookup, linking a caller, merging."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.points import audit_shown
from crm import selectors as crm_selectors
from crm import services as crm_services
from crm.errors import DomainError
from crm.ids import parse_id
from crm.jurisdiction import contacts_visible_to
from crm.models import Contact, Role
from crm.national_ids import looks_like_national_id

from .. import services
from ..selectors import live_conversation_for, works_the_inbox
from ..timeline import contact_timeline
from .common import error_text, language, staff_required
from .conversations import conversation_for

REGISTRY_ROLES = (Role.AGENT, Role.LOCAL_WORKER, Role.DISTRICT_WORKER, Role.ADMIN)


def may_use_registry(user) -> bool:
    """Registry lookups are for the people who register citizens, and they are logged."""
    return user.is_superuser or user.role in REGISTRY_ROLES


def _search(request: HttpRequest, query: str) -> dict:
    results = []
    registry_offer = False
    if query:
        results = list(
            crm_selectors.contacts_with_identities(
                crm_selectors.contact_search(user=request.user, query=query)
            )[:25]
        )
        audit_shown(request, results)
        registry_offer = (
            not results and looks_like_national_id(query.strip()) and may_use_registry(request.user)
        )
    return {"query": query, "results": results, "registry_offer": registry_offer}


@staff_required
def contact_search(request: HttpRequest) -> HttpResponse:
    """ "Find a citizen" page: by phone, national ID or name; the registry for new IDs."""
    context = _search(request, request.GET.get("q", "").strip())
    template = "console/_contact_results.html" if request.htmx else "console/contacts.html"
    return render(request, template, context)


@staff_required
@require_POST
def contact_registry(request: HttpRequest) -> HttpResponse:
    """Look a national ID up in the state registry and open (or create) the citizen."""
    if not may_use_registry(request.user):
        messages.error(request, _("Your role cannot look people up in the state registry."))
        return redirect("console:contacts")
    national_id = request.POST.get("national_id", "")
    conversation_id = request.POST.get("conversation", "")
    try:
        contact, created = crm_services.contact_from_registry(national_id=national_id)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        if parse_id(conversation_id):
            return redirect("console:conversation", pk=parse_id(conversation_id))
        return redirect(f"{reverse('console:contacts')}?q={national_id}")
    if not contacts_visible_to(request.user).filter(pk=contact.pk).exists():
        messages.error(request, _("This citizen lives outside your area."))
        return redirect("console:contacts")
    if created and contact.is_identified:
        messages.success(request, _("Found in the state registry: %(name)s.") % {"name": contact})
    elif created:
        messages.warning(
            request,
            _("The registry did not answer for this ID; a record was created with the ID only."),
        )
    if parse_id(conversation_id):
        conversation = conversation_for(request, parse_id(conversation_id))
        return _link(request, conversation, contact)
    return redirect("console:contact", pk=contact.pk)


def _link(request: HttpRequest, conversation, contact: Contact) -> HttpResponse:
    try:
        conversation = services.conversation_link_contact(
            conversation=conversation, contact=contact, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("The caller is now identified as %(name)s; their history is shown below.")
            % {"name": conversation.contact},
        )
    return redirect("console:conversation", pk=conversation.pk)


@staff_required
def conversation_identify(request: HttpRequest, pk: int) -> HttpResponse:
    """Search results inside the conversation's "identify the caller" panel."""
    conversation = conversation_for(request, pk)
    context = _search(request, request.GET.get("q", "").strip())
    context["conversation"] = conversation
    return render(request, "console/_identify_results.html", context)


@staff_required
@require_POST
def conversation_link(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_for(request, pk)
    contact_id = request.POST.get("contact", "")
    contact = (
        contacts_visible_to(request.user).filter(pk=parse_id(contact_id)).first()
        if parse_id(contact_id)
        else None
    )
    if contact is None:
        messages.error(request, _("Choose a citizen from the search results."))
        return redirect("console:conversation", pk=conversation.pk)
    return _link(request, conversation, contact)


@staff_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        contact = crm_selectors.contact_get(user=request.user, pk=pk)
    except Contact.DoesNotExist as exc:
        raise Http404(_("No such citizen in your area.")) from exc
    if contact.merged_into_id:
        messages.info(request, _("This record was merged; showing the surviving record."))
        return redirect("console:contact", pk=contact.merged_into_id)
    from cases.selectors import cases_for_contact

    conversation = live_conversation_for(contact=contact)
    query = request.GET.get("dup", "").strip()
    duplicates = []
    if query:
        duplicates = [
            c
            for c in crm_selectors.contacts_with_identities(
                crm_selectors.contact_search(user=request.user, query=query)
            )[:10]
            if c.pk != contact.pk
        ]
    return render(
        request,
        "console/contact.html",
        {
            "contact": contact,
            "identities": list(contact.identities.all()),
            "timeline": contact_timeline(contact=contact, language=language()),
            "cases": list(cases_for_contact(contact=contact)[:30]),
            "conversation": conversation,
            "desk": works_the_inbox(request.user),
            "dup_query": query,
            "duplicates": duplicates,
        },
    )


@staff_required
@require_POST
def contact_merge(request: HttpRequest, pk: int) -> HttpResponse:
    visible = contacts_visible_to(request.user)
    survivor = visible.filter(pk=pk).first()
    if survivor is None:
        # Outside the jurisdiction reads like not existing, as on every other page.
        raise Http404
    duplicate_id = request.POST.get("duplicate", "")
    duplicate = (
        visible.filter(pk=parse_id(duplicate_id)).first() if parse_id(duplicate_id) else None
    )
    if survivor is None or duplicate is None:
        messages.error(request, _("Choose the duplicate record to merge into this one."))
        return redirect("console:contact", pk=pk)
    try:
        services.contact_merge_duplicates(
            survivor=survivor,
            duplicate=duplicate,
            actor=request.user,
            reason=request.POST.get("reason", "").strip() or _("Duplicate found in the console"),
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(dup)s was merged into this record; all their messages and cases are here now.")
            % {"dup": duplicate},
        )
    return redirect("console:contact", pk=survivor.pk)


@staff_required
def contact_pick(request: HttpRequest) -> HttpResponse:
    """Search results as choices inside a form (who needs the service)."""
    context = _search(request, request.GET.get("q", "").strip())
    return render(request, "console/_contact_pick.html", context)


@staff_required
@require_POST
def contact_pick_registry(request: HttpRequest) -> HttpResponse:
    national_id = request.POST.get("national_id", "")
    context: dict = {"query": national_id, "results": [], "registry_offer": False}
    if not may_use_registry(request.user):
        context["error"] = _("Your role cannot look people up in the state registry.")
        return render(request, "console/_contact_pick.html", context)
    try:
        contact, _created = crm_services.contact_from_registry(national_id=national_id)
    except DomainError as exc:
        context["error"] = error_text(exc)
    else:
        if contacts_visible_to(request.user).filter(pk=contact.pk).exists():
            context["results"] = [contact]
            context["picked"] = contact.pk
        else:
            context["error"] = _("This citizen lives outside your area.")
    return render(request, "console/_contact_pick.html", context)
