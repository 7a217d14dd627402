"""The agents' unified inbox: the list, its search and filters, and bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import replace_url

from audit.points import audit_shown
from crm.ids import parse_id
from crm.models import Channel, Conversation
from ivr.services import waiting_calls

from .. import selectors, services
from ..forms import BulkForm
from ..models import WrapUpCode
from ..paging import Cursor
from ..search import clean_query
from .common import desk_required, language

STATUS_CHOICES = [("live", None), *Conversation.Status.choices, ("all", None)]
FILTER_KEYS = ("q", "status", "channel", "assignee", "team", "label")


def _filters(request: HttpRequest) -> selectors.InboxFilters:
    return selectors.InboxFilters(
        channel=request.GET.get("channel", ""),
        status=request.GET.get("status", "live") or "live",
        assignee=request.GET.get("assignee", ""),
        team=request.GET.get("team", ""),
        label=request.GET.get("label", ""),
        q=clean_query(request.GET.get("q", "")),
    )


def filter_query(request: HttpRequest) -> QueryDict:
    """The filters of this request alone (no page position), for links to other pages."""
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    return query


def _list_context(request: HttpRequest, open_id: int | None = None) -> dict:
    """What the list fragment shows: one page of conversations and the headline counts.

    ``open_id``: the conversation open beside the list (its row is marked, and its address
    is what the address bar keeps).
    """
    filters = _filters(request)
    after = Cursor.parse(request.GET.get("before"))
    page = selectors.inbox_page(user=request.user, filters=filters, after=after)
    audit_shown(request, page.rows)
    # Two reverse() calls per page instead of three per row.
    open_url = reverse("console:conversation", args=[0]).replace("/0/", "/{}/")
    take_url = reverse("console:inbox_take", args=[0]).replace("/0/", "/{}/")
    # Labels looked up once per page: get_FOO_display() re-translates every choice per call.
    channel_labels = {value: str(label) for value, label in Channel.choices}
    status_labels = {value: str(label) for value, label in Conversation.Status.choices}
    waiting = waiting_calls(
        conversation_ids=[c.pk for c in page.rows if c.channel == Channel.VOICE]
    )
    selectors.first_reply_deadlines(page.rows)
    query = filter_query(request)
    suffix = f"?{query.urlencode()}" if query else ""
    for conversation in page.rows:
        conversation.waiting_call = waiting.get(conversation.pk)
        conversation.url = open_url.format(conversation.pk) + suffix
        conversation.take_url = take_url.format(conversation.pk)
        conversation.channel_label = channel_labels.get(conversation.channel, conversation.channel)
        conversation.status_label = status_labels.get(conversation.status, conversation.status)
    older = None
    if page.next_cursor:
        older_query = query.copy()
        older_query["before"] = str(page.next_cursor)
        older = older_query.urlencode()
    return {
        "filters": filters,
        "conversations": page.rows,
        "page": page,
        "older_query": older,
        "newest_query": query.urlencode(),
        "before": str(after) if after else "",
        "counts": selectors.inbox_counts(user=request.user),
        "filtered": any(
            [
                filters.channel,
                filters.assignee,
                filters.team,
                filters.label,
                filters.q,
                filters.status != "live",
            ]
        ),
        "open_id": open_id,
        "inbox_query": suffix,
        "bulk_wrap_up_codes": [
            (w.code, w.label(language())) for w in WrapUpCode.objects.filter(active=True)
        ],
        "bulk_agents": selectors.desk_agents(user=request.user, with_load=False)
        if selectors.may_reassign(request.user)
        else [],
    }


def inbox_context(request: HttpRequest, open_id: int | None = None) -> dict:
    """The whole inbox page: filters, the list, and (the caller adds) an open conversation."""
    context = _list_context(request, open_id)
    context.update(
        {
            "channels": Channel.choices,
            "statuses": Conversation.Status.choices,
            # The filter only names agents: their load is not shown here, so not read.
            "agents": selectors.desk_agents(user=request.user, with_load=False),
            "teams": selectors.teams(user=request.user),
            "labels": list(selectors.labels_for(user=request.user)),
        }
    )
    return context


@desk_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "console/inbox.html", inbox_context(request))


@desk_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    """The list alone, re-fetched by htmx on filter changes, paging and live events."""
    open_id = parse_id(request.GET.get("open", ""))
    response = render(request, "console/_inbox_list.html", _list_context(request, open_id))
    if request.htmx and request.htmx.trigger == "inbox-list":
        # A live refresh of the page the agent is on: the address bar already says where
        # they are, and may have moved on to another conversation while this was in flight.
        return response
    # The address bar shows the full inbox with these filters and this page (and the open
    # conversation beside it), so a reload keeps them.
    query = filter_query(request)
    if request.GET.get("before"):
        query["before"] = request.GET["before"]
    query = query.urlencode()
    page = reverse("console:conversation", args=[open_id]) if open_id else reverse("console:inbox")
    return replace_url(response, page + (f"?{query}" if query else ""))


@desk_required
@require_POST
def inbox_bulk(request: HttpRequest) -> HttpResponse:
    """Assign or resolve the conversations ticked in the list, each through its own service."""
    form = BulkForm(request.POST, user=request.user)
    back = reverse("console:inbox") + _back_query(request)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    data = form.cleaned_data
    done, problems = services.conversations_bulk(
        conversations=data["conversations"],
        actor=request.user,
        action=data["action"],
        assignee=data.get("assignee"),
        wrap_up_code=data.get("wrap_up_code", ""),
    )
    unseen = len(set(data["ids"])) - len(data["conversations"])
    if unseen:
        problems.append(
            ngettext(
                "%(n)d ticked conversation is outside your area; it was left as it was.",
                "%(n)d ticked conversations are outside your area; they were left as they were.",
                unseen,
            )
            % {"n": unseen}
        )
    if done:
        messages.success(request, BulkForm.done_text(data["action"], done, data.get("assignee")))
    for problem in problems:
        messages.error(request, problem)
    return redirect(back)


def _back_query(request: HttpRequest) -> str:
    """The list's filters the bulk form carried back (``back``), checked to be only those."""
    back = QueryDict(request.POST.get("back", ""))
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if back.get(key):
            query[key] = back[key]
    return f"?{query.urlencode()}" if query else ""
