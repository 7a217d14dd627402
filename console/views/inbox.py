"""The agents' unified inbox."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import replace_url

from crm.models import Channel, Conversation

from .. import selectors
from .common import desk_required

STATUS_CHOICES = [("live", None), *Conversation.Status.choices, ("all", None)]


def _filters(request: HttpRequest) -> selectors.InboxFilters:
    return selectors.InboxFilters(
        channel=request.GET.get("channel", ""),
        status=request.GET.get("status", "live") or "live",
        assignee=request.GET.get("assignee", ""),
        team=request.GET.get("team", ""),
    )


def _context(request: HttpRequest) -> dict:
    filters = _filters(request)
    conversations = list(selectors.inbox(user=request.user, filters=filters)[:200])
    return {
        "filters": filters,
        "conversations": conversations,
        "counts": selectors.inbox_counts(user=request.user),
        "channels": Channel.choices,
        "statuses": Conversation.Status.choices,
        "agents": selectors.desk_agents(user=request.user),
        "teams": selectors.teams(user=request.user),
        "filtered": any(
            [filters.channel, filters.assignee, filters.team, filters.status != "live"]
        ),
    }


@desk_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "console/inbox.html", _context(request))


@desk_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    """The list alone, re-fetched by htmx on filter changes and on live events."""
    response = render(request, "console/_inbox_list.html", _context(request))
    # The address bar shows the full inbox with these filters, so a reload keeps them.
    query = request.GET.urlencode()
    return replace_url(response, reverse("console:inbox") + (f"?{query}" if query else ""))
