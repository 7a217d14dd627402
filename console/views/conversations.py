"""One conversation: the citizen's timeline, the reply box, notes, assignment, resolving."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, ValidationFailed
from crm.ids import parse_id
from crm.models import Contact, Conversation, Language, User

from .. import selectors, services
from ..models import CannedResponse, WrapUpCode
from ..timeline import contact_timeline, conversation_messages
from .common import desk_required, error_text, language
from .inbox import filter_query, inbox_context


def conversation_for(request: HttpRequest, pk: int) -> Conversation:
    try:
        return (
            selectors.conversations_visible_to(user=request.user)
            .select_related("contact__address_unit", "assignee")
            .get(pk=pk)
        )
    except Conversation.DoesNotExist as exc:
        raise Http404(_("No such conversation in your area.")) from exc


def _cases_of(contact: Contact) -> list:
    from cases.selectors import cases_for_contact

    return list(cases_for_contact(contact=contact)[:20])


def page_context(request: HttpRequest, conversation: Conversation, **extra) -> dict:
    contact = conversation.contact
    citizen_language = contact.language
    selectors.first_reply_deadlines([conversation])
    timeline = contact_timeline(contact=contact, language=language())
    labels = list(selectors.labels_for(user=request.user))
    on = set(conversation.labels.values_list("pk", flat=True))
    query = filter_query(request)
    return {
        "conversation": conversation,
        "contact": contact,
        # The list's search and filters, kept by every link and form of the pane.
        "inbox_query": f"?{query.urlencode()}" if query else "",
        "identities": list(contact.identities.all()),
        "timeline": timeline,
        "thread": conversation_messages(timeline, conversation),
        "labels_on": [label for label in labels if label.pk in on],
        "labels_off": [label for label in labels if label.pk not in on],
        "cases": _cases_of(contact),
        "canned": [
            {"title": c.title, "body": c.body(citizen_language)}
            for c in CannedResponse.objects.filter(active=True)
        ],
        "citizen_language": dict(Language.choices).get(citizen_language, citizen_language),
        "wrap_up_codes": [
            (w.code, w.label(language())) for w in WrapUpCode.objects.filter(active=True)
        ],
        "agents": selectors.desk_agents(user=request.user)
        if selectors.may_reassign(request.user)
        else [],
        "may_reassign": selectors.may_reassign(request.user),
        **extra,
    }


@desk_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversation beside the inbox list; htmx asks for the right-hand pane alone."""
    conversation = conversation_for(request, pk)
    if conversation.unread_count and conversation.assignee_id in (None, request.user.pk):
        # Opening the thread is reading it; other agents' threads stay unread for them.
        services.conversation_mark_read(conversation=conversation, user=request.user)
    if request.htmx and request.htmx.target == "conv-pane":
        response = render(request, "console/_conv_pane.html", page_context(request, conversation))
        # The list marks the open row (and its unread count went to zero).
        response["HX-Trigger"] = "conversation-opened"
        return response
    context = inbox_context(request, open_id=conversation.pk)
    context.update(page_context(request, conversation))
    return render(request, "console/conversation.html", context)


@desk_required
def conversation_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact's whole timeline (``part=thread``: this conversation's messages only)."""
    conversation = conversation_for(request, pk)
    if conversation.unread_count and conversation.assignee_id == request.user.pk:
        services.conversation_mark_read(conversation=conversation, user=request.user)
    timeline = contact_timeline(contact=conversation.contact, language=language())
    if request.GET.get("part") == "thread":
        return render(
            request,
            "console/_thread.html",
            {"thread": conversation_messages(timeline, conversation), "conversation": conversation},
        )
    return render(
        request, "console/_timeline.html", {"timeline": timeline, "conversation": conversation}
    )


@desk_required
@require_POST
def conversation_label(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a label on the conversation or take it off (``remove``)."""
    conversation = conversation_for(request, pk)
    label = (
        selectors.labels_for(user=request.user)
        .filter(pk=parse_id(request.POST.get("label", "")) or 0)
        .first()
    )
    errors = {}
    try:
        if label is None:
            raise ValidationFailed(_("Choose a label."))
        if request.POST.get("remove"):
            services.conversation_label_remove(
                conversation=conversation, label=label, actor=request.user
            )
        else:
            services.conversation_label_add(
                conversation=conversation, label=label, actor=request.user
            )
    except DomainError as exc:
        errors["labels"] = error_text(exc)
    context = {**page_context(request, conversation), "errors": errors}
    if request.htmx:
        response = render(request, "console/_conv_labels.html", context)
        if not errors:
            response["HX-Trigger"] = "labels-changed"
        return response
    return redirect(reverse("console:conversation", args=[conversation.pk]))


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _failed(
    request: HttpRequest, conversation: Conversation, exc: DomainError, form: str
) -> HttpResponse:
    """Show the error inside the form the agent used, keeping what they typed."""
    context = page_context(
        request,
        conversation,
        errors={form: error_text(exc)},
        typed={form: request.POST.get("body", "")},
    )
    if request.htmx:
        return render(request, f"console/_conv_{form}.html", context, status=exc.status_code)
    context = {**inbox_context(request, open_id=conversation.pk), **context}
    return render(request, "console/conversation.html", context, status=exc.status_code)


@desk_required
@require_POST
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_for(request, pk)
    url = reverse("console:conversation", args=[conversation.pk])
    try:
        services.conversation_reply(
            conversation=conversation, agent=request.user, body=request.POST.get("body", "")
        )
    except DomainError as exc:
        return _failed(request, conversation, exc, "reply")
    if request.htmx:
        response = render(
            request,
            "console/_conv_reply.html",
            {**page_context(request, conversation), "sent": True},
        )
        response["HX-Trigger"] = "timeline-changed"
        return response
    return _done(request, url, _("Reply sent."))


@desk_required
@require_POST
def conversation_note(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_for(request, pk)
    try:
        services.conversation_note(
            conversation=conversation, author=request.user, body=request.POST.get("body", "")
        )
    except DomainError as exc:
        return _failed(request, conversation, exc, "note")
    if request.htmx:
        response = render(
            request,
            "console/_conv_note.html",
            {**page_context(request, conversation), "saved": True},
        )
        response["HX-Trigger"] = "timeline-changed"
        return response
    return _done(request, reverse("console:conversation", args=[conversation.pk]), _("Note saved."))


@desk_required
@require_POST
def conversation_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Take, reassign, set pending or resolve: the panel at the top of the conversation."""
    conversation = conversation_for(request, pk)
    action = request.POST.get("action", "")
    query = filter_query(request).urlencode()
    suffix = f"?{query}" if query else ""
    url = reverse("console:conversation", args=[conversation.pk]) + suffix
    try:
        if action == "take":
            services.conversation_take(conversation=conversation, agent=request.user)
            message = _("You now work on this conversation.")
        elif action == "assign":
            assignee_id = request.POST.get("assignee", "")
            assignee = (
                User.objects.filter(pk=parse_id(assignee_id)).first()
                if parse_id(assignee_id)
                else None
            )
            services.conversation_assign(
                conversation=conversation, assignee=assignee, actor=request.user
            )
            message = (
                _("Conversation handed to %(name)s.")
                % {"name": assignee.get_full_name() or assignee.username}
                if assignee
                else _("Conversation put back in the queue.")
            )
        elif action == "pending":
            services.conversation_set_pending(conversation=conversation, actor=request.user)
            message = _("Conversation set to pending.")
        elif action == "resolve":
            services.conversation_resolve(
                conversation=conversation,
                actor=request.user,
                wrap_up_code=request.POST.get("wrap_up_code", ""),
            )
            message = _("Conversation resolved.")
            url = reverse("console:inbox") + suffix
        else:
            raise ValidationFailed(_("Unknown action."))
    except DomainError as exc:
        return _failed(request, conversation, exc, "manage")
    return _done(request, url, message)


@desk_required
@require_POST
def inbox_take(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Take" straight from the inbox list."""
    conversation = conversation_for(request, pk)
    try:
        services.conversation_take(conversation=conversation, agent=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("console:inbox")
    return redirect("console:conversation", pk=conversation.pk)
