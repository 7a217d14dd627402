"""Reads for the console, always through the caller's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from crm.jurisdiction import can_see_unit, contacts_visible_to
from crm.models import AdminUnit, Contact, Conversation, Interaction, Role, User

LIVE_STATUSES = (Conversation.Status.OPEN, Conversation.Status.PENDING)
DESK_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
CASE_ROLES = (Role.LOCAL_WORKER, Role.DISTRICT_WORKER, Role.FACILITY_STAFF)


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


def inbox(*, user: User, filters: InboxFilters) -> QuerySet[Conversation]:
    """The conversations an agent works, newest activity first."""
    qs = conversations_visible_to(user=user).select_related("contact", "assignee")
    qs = qs.prefetch_related("contact__identities")
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
    elif filters.assignee.isdigit():
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.team:
        qs = qs.filter(team=filters.team)
    last_inbound = Interaction.objects.filter(
        conversation=OuterRef("pk"), direction=Interaction.Direction.INBOUND
    ).order_by("-occurred_at", "-id")
    return qs.annotate(last_body=Subquery(last_inbound.values("body")[:1])).order_by(
        "-last_activity_at", "-id"
    )


def inbox_counts(*, user: User) -> dict[str, int]:
    live = conversations_visible_to(user=user).filter(status__in=LIVE_STATUSES)
    totals = live.aggregate(
        conversations=Count("pk"),
        unread=Coalesce(Sum("unread_count"), 0),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        mine=Count("pk", filter=Q(assignee=user)),
        mine_unread=Coalesce(Sum("unread_count", filter=Q(assignee=user)), 0),
    )
    return totals


def desk_agents(*, user: User) -> QuerySet[User]:
    """Agents the user may hand conversations to, with their current load."""
    qs = agents_with_load().filter(is_active=True, role=Role.AGENT)
    if not user.sees_everything and user.unit_id:
        # Only agents working the same country/region tree as the supervisor.
        root = user.unit.path.split("/")[0] + "/"
        qs = qs.filter(unit__path__startswith=root)
    return qs.order_by("first_name", "username")


def agents_with_load() -> QuerySet[User]:
    open_count = (
        Conversation.objects.filter(assignee=OuterRef("pk"), status__in=LIVE_STATUSES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return User.objects.annotate(
        open_load=Coalesce(Subquery(open_count, output_field=IntegerField()), Value(0))
    )


def teams(*, user: User) -> list[str]:
    # Live conversations only: resolved history (most of the table) adds no filter option
    # an agent needs, and reading it all cost the inbox most of its time (bench).
    values = (
        conversations_visible_to(user=user)
        .filter(status__in=LIVE_STATUSES)
        .exclude(team="")
        # No ordering: with the default "-last_activity_at" DISTINCT would return every row.
        .order_by()
        .values_list("team", flat=True)
        .distinct()
    )
    staff_teams = User.objects.exclude(team="").order_by().values_list("team", flat=True).distinct()
    return sorted(set(values) | set(staff_teams))


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
        by_unit = user.role != Role.FACILITY_STAFF and can_see_unit(user, unit)
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
