"""Reads for the console, always through the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    FilteredRelation,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from crm.countries import country_of, country_prefix
from crm.ids import parse_id
from crm.jurisdiction import can_see_unit, contacts_visible_to
from crm.models import AdminUnit, Contact, Conversation, Role, User

from .paging import Bounded, Cursor, KeysetPage, bounded_figures, keyset_page
from .search import clean_query, merged_page, search_parts

LIVE_STATUSES = (Conversation.Status.OPEN, Conversation.Status.PENDING)
DESK_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
CASE_ROLES = (Role.LOCAL_WORKER, Role.DISTRICT_WORKER, Role.FACILITY_STAFF)
INBOX_PAGE_SIZE = 25
# The inbox's headline figures stop here ("100+"): past that an agent knows the queue is long,
# and each figure stays a bounded read of the live conversations.
INBOX_COUNT_LIMIT = 100

logger = logging.getLogger(__name__)


def works_the_inbox(user: User) -> bool:
    return user.is_authenticated and (user.sees_everything or user.role in DESK_ROLES)


def may_reassign(user: User) -> bool:
    return user.is_authenticated and (user.sees_everything or user.role == Role.SUPERVISOR)


def conversations_visible_to(*, user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(contact__in=contacts_visible_to(user))


@dataclass(frozen=True)
class InboxFilters:
    channel: str = ""
    status: str = "live"  # open+pending; or one status; or "all"
    assignee: str = ""  # "", "me", "none" or a user id
    team: str = ""
    label: str = ""  # a label id
    q: str = ""  # search text: name, phone, national ID, case number or message text


def inbox(*, user: User, filters: InboxFilters) -> QuerySet[Conversation]:
    """The conversations an agent works, newest activity first."""
    qs = conversations_visible_to(user=user).select_related("contact", "assignee")
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.status == "live":
        qs = qs.filter(status__in=LIVE_STATUSES)
    elif filters.status in Conversation.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif parse_id(filters.assignee):
        qs = qs.filter(assignee_id=parse_id(filters.assignee))
    if filters.team:
        qs = qs.filter(team=filters.team)
    if parse_id(filters.label):
        qs = qs.filter(labels=parse_id(filters.label))
    # Each row's last words, waiting time and reply time are columns of the row
    # (crm.conversation_facts), so the page reads no interaction.
    return qs.order_by("-last_activity_at", "-id")


def inbox_page(
    *, user: User, filters: InboxFilters, after: Cursor | None = None, size: int = INBOX_PAGE_SIZE
) -> KeysetPage[Conversation]:
    """One page of the inbox (or of its search): the newest activity first, then older than
    ``after``."""
    listed = inbox(user=user, filters=filters)
    if clean_query(filters.q):
        page = merged_page(search_parts(listed, filters.q), after=after, size=size)
    else:
        page = keyset_page(listed, field="last_activity_at", after=after, size=size)
    prefetch_related_objects(page.rows, "labels")
    # A citizen without a name is shown by phone number (Contact.display_name): only those
    # need their identities, usually none of a page.
    unnamed = [c.contact for c in page.rows if not (c.contact.last_name or c.contact.first_name)]
    prefetch_related_objects(unnamed, "identities")
    return page


def inbox_counts(*, user: User) -> dict[str, Bounded]:
    """The inbox's headline figures, each read only up to ``INBOX_COUNT_LIMIT`` rows."""
    live = conversations_visible_to(user=user).filter(status__in=LIVE_STATUSES)
    return bounded_figures(
        {
            "conversations": (live, None),
            "unread": (live.filter(unread_count__gt=0), "unread_count"),
            "unassigned": (live.filter(assignee__isnull=True), None),
            "mine": (live.filter(assignee=user), None),
        },
        INBOX_COUNT_LIMIT,
    )


def desk_agents(*, user: User, with_load: bool = True) -> QuerySet[User]:
    """Agents the user may hand conversations to, with their current load (``open_load``)."""
    qs = agents_with_load() if with_load else User.objects.all()
    qs = qs.filter(is_active=True, role=Role.AGENT)
    if not user.sees_everything and user.unit_id:
        # Only agents working the same country/region tree as the supervisor.
        root = country_prefix(user.unit)
        qs = qs.filter(unit__path__startswith=root)
    return qs.order_by("first_name", "username")


def agents_with_load() -> QuerySet[User]:
    """Staff with ``open_load``: how many live conversations each is assigned.

    A LEFT JOIN whose ON clause carries the status (``FilteredRelation``), so PostgreSQL reads
    only each agent's live rows through ``conv_assignee_idx``. A correlated COUNT subquery per
    agent was planned as a bitmap AND over every live conversation: 53 ms for 40 agents on the
    bench data, paid on every inbound message by auto-assignment.
    """
    return User.objects.annotate(
        live=FilteredRelation("conversations", condition=Q(conversations__status__in=LIVE_STATUSES))
    ).annotate(open_load=Count("live"))


LIVE_TEAMS_CACHE_KEY = "console:live-conversation-teams"
LIVE_TEAMS_CACHE_SECONDS = 60


def _cache_get(key: str):
    """A cached value, or None when the cache (Redis) cannot be reached: the inbox then reads
    the database, it does not fail."""
    try:
        return cache.get(key)
    except Exception as exc:  # whatever the cache client raises for a dead server
        logger.warning("cache unavailable for %s: %s", key, exc.__class__.__name__)
        return None


def _cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as exc:
        logger.warning("cache unavailable for %s: %s", key, exc.__class__.__name__)


def teams(*, user: User) -> list[str]:
    """The inbox's team filter: staff teams and teams of live conversations the user sees."""
    staff_teams = set(
        User.objects.exclude(team="").order_by().values_list("team", flat=True).distinct()
    )
    # Live conversations only: resolved history (most of the table) adds no filter option an
    # agent needs. Reading even the live ones costs a scan of thousands of rows, for a list
    # that changes when someone routes a conversation to a new team: a minute old is fine.
    live_teams = _cache_get(LIVE_TEAMS_CACHE_KEY)
    if live_teams is None:
        live_teams = sorted(
            Conversation.objects.filter(status__in=LIVE_STATUSES)
            .exclude(team="")
            # No ordering: with the default "-last_activity_at" DISTINCT would return every row.
            .order_by()
            .values_list("team", flat=True)
            .distinct()
        )
        _cache_set(LIVE_TEAMS_CACHE_KEY, live_teams, LIVE_TEAMS_CACHE_SECONDS)
    # A team nobody on the staff belongs to is offered only if the user sees one of its
    # conversations (usually there is none, so no query).
    visible = conversations_visible_to(user=user).filter(status__in=LIVE_STATUSES)
    extra = {t for t in live_teams if t not in staff_teams and visible.filter(team=t).exists()}
    return sorted(staff_teams | extra)


def users_who_see_contact(contact: Contact) -> list[User]:
    """Every active staff account whose jurisdiction includes this contact.

    Candidates are narrowed by unit path; the unit rule is ``crm.jurisdiction.can_see_unit``
    (the same one ``contacts_visible_to`` applies) and everyone else is checked with
    ``contacts_visible_to`` itself, so the answer never drifts from what pages show.
    """
    unit = contact.address_unit
    audience = []
    for user in staff_candidates(unit).select_related("unit"):
        # The unit part of the rule decides for most staff without a query; anyone it does
        # not cover (care-home staff, rules other apps registered) is asked the real question.
        by_unit = user.role != Role.FACILITY_STAFF and can_see_unit(
            user, unit, country=contact.country
        )
        if by_unit or contacts_visible_to(user).filter(pk=contact.pk).exists():
            audience.append(user)
    return audience


def staff_candidates(unit: AdminUnit | None) -> QuerySet[User]:
    if unit is not None:
        prefixes = [a.path for a in unit.ancestors()] + [unit.path]
        by_unit = Q(unit__path__in=prefixes)
    else:
        by_unit = Q(unit__level=AdminUnit.Level.COUNTRY)
    return User.objects.filter(is_active=True).filter(
        by_unit
        | Q(is_superuser=True)
        | Q(role=Role.ADMIN)
        # Facility staff see through rules other apps register; check each.
        | Q(role=Role.FACILITY_STAFF)
    )


def live_conversation_for(*, contact: Contact) -> Conversation | None:
    return (
        Conversation.objects.filter(contact=contact, status__in=LIVE_STATUSES)
        .order_by("-last_activity_at")
        .first()
    )


def agent_load(*, agent: User) -> int:
    return Conversation.objects.filter(assignee=agent, status__in=LIVE_STATUSES).count()


def labels_for(*, user: User) -> QuerySet:
    """The labels a user may use: shared ones and their own country's."""
    from .models import Label

    qs = Label.objects.all()
    if not user.sees_everything:
        qs = qs.filter(Q(country="") | Q(country=country_of(user.unit)))
    return qs.order_by("name", "id")


def first_reply_deadlines(conversations: list[Conversation]) -> None:
    """Set ``reply_due`` on each live conversation no staff member has answered yet.

    The window is the country's first-reply time in office hours (``cases.sla``: the same
    rule the deadline sweep records breaches by), counted from when the citizen opened it.
    """
    from cases import sla

    schedules: dict[str, sla.Schedule] = {}
    for conversation in conversations:
        conversation.reply_due = None
        if conversation.status not in LIVE_STATUSES or conversation.last_staff_reply_at is not None:
            continue
        country = conversation.contact.country or settings.CRM_COUNTRY
        if country not in schedules:
            schedules[country] = sla.schedule_for(country)
        schedule = schedules[country]
        conversation.reply_due = schedule.add_office_time(
            conversation.created_at, dt.timedelta(minutes=schedule.first_reply_minutes)
        )
