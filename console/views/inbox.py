"""The agents' unified inbox."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import replace_url

from audit.points import audit_shown
from crm.models import Channel, Conversation
from ivr.services import waiting_calls

from .. import selectors
from ..paging import Cursor
from .common import desk_required

STATUS_CHOICES = [("live", None), *Conversation.Status.choices, ("all", None)]
FILTER_KEYS = ("status", "channel", "assignee", "team")


def _filters(request: HttpRequest) -> selectors.InboxFilters:
    return selectors.InboxFilters(
        channel=request.GET.get("channel", ""),
        status=request.GET.get("status", "live") or "live",
        assignee=request.GET.get("assignee", ""),
        team=request.GET.get("team", ""),
    )


def _filter_query(request: HttpRequest) -> QueryDict:
    """The filters of this request alone (no page position), for links to other pages."""
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    return query


def _list_context(request: HttpRequest) -> dict:
    """What the list fragment shows: one page of conversations and the headline counts."""
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
    for conversation in page.rows:
        conversation.waiting_call = waiting.get(conversation.pk)
        conversation.url = open_url.format(conversation.pk)
        conversation.take_url = take_url.format(conversation.pk)
        conversation.channel_label = channel_labels.get(conversation.channel, conversation.channel)
        conversation.status_label = status_labels.get(conversation.status, conversation.status)
    query = _filter_query(request)
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
            [filters.channel, filters.assignee, filters.team, filters.status != "live"]
        ),
    }


@desk_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    context.update(
        {
            "channels": Channel.choices,
            "statuses": Conversation.Status.choices,
            # The filter only names agents: their load is not shown here, so not read.
            "agents": selectors.desk_agents(user=request.user, with_load=False),
            "teams": selectors.teams(user=request.user),
        }
    )
    return render(request, "console/inbox.html", context)


@desk_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    """The list alone, re-fetched by htmx on filter changes, paging and live events."""
    response = render(request, "console/_inbox_list.html", _list_context(request))
    # The address bar shows the full inbox with these filters and this page, so a reload
    # keeps them.
    query = _filter_query(request)
    if request.GET.get("before"):
        query["before"] = request.GET["before"]
    query = query.urlencode()
    return replace_url(response, reverse("console:inbox") + (f"?{query}" if query else ""))
