"""Deadlines that act: the periodic check that records missed deadlines and tells people.

Every minute (Celery beat, ``cases.tasks.deadlines_check``) the check
1. records a breach for each case step, first reply and promised call back that is past due and
   not yet recorded (the unique constraints make a second run, or two at once, a no-op),
2. tells whoever held it (``deadline_missed`` with the recipients' ids; the console pushes a toast
   and counts it on the worklist badge),
3. stamps breaches whose step has since been done,
4. escalates what is still late after the country's grace period (office time) to the district
   supervisor, and after twice the grace period to the province supervisor.

Each part works in bounded batches, oldest first, so a backlog drains over a few runs instead of
holding one long transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from crm.countries import country_of
from crm.events import publish_after_commit
from crm.models import AdminUnit, Conversation, Interaction, Role, User

from . import events, sla
from .breaches import Breach, StepTime
from .models import Case, FacilityStaff, Status
from .workflows import workflow_for

logger = logging.getLogger(__name__)

BATCH = 500
CLOSED_STATUSES = (Status.CANCELLED, Status.DISCHARGED)
LIVE_CONVERSATIONS = (Conversation.Status.OPEN, Conversation.Status.PENDING)

# Another app's late tasks (the channel hub's callbacks): called with ``now``, returns how many
# breaches it recorded. The core cannot import those apps, so they register here.
DeadlineSource = Callable[[dt.datetime], int]
_sources: list[DeadlineSource] = []


def register_deadline_source(source: DeadlineSource) -> DeadlineSource:
    if source not in _sources:
        _sources.append(source)
    return source


@dataclass
class CheckResult:
    recorded: int = 0
    resolved: int = 0
    escalated: int = 0


def deadlines_check(*, now: dt.datetime | None = None) -> CheckResult:
    """One run of the periodic check (safe to run twice, or in two workers at once)."""
    now = now or timezone.now()
    result = CheckResult()
    result.recorded += breaches_record_case_steps(now=now)
    result.recorded += breaches_record_first_replies(now=now)
    for source in _sources:
        result.recorded += source(now)
    result.resolved = breaches_resolve(now=now)
    result.escalated = breaches_escalate(now=now)
    return result


# --- who is responsible --------------------------------------------------------------------


def _unit_and_above(unit: AdminUnit | None) -> list[str]:
    if unit is None:
        return []
    parts = unit.path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def step_holder(case: Case) -> tuple[User | None, str]:
    """Who must act next on the case, and in which role.

    The role is that of the step's first declared way forward; the person is a worker assigned
    to the case in that role, else the home's staff (care-home steps), else the nearest worker
    in that role whose unit contains the case's.
    """
    workflow = workflow_for(case.service.workflow)
    forward = next((t for t in workflow.transitions if case.status in t.sources), None)
    if forward is None:
        return None, ""
    roles = sorted(forward.roles)
    role = roles[0] if roles else ""
    assigned = case.assigned_workers.filter(role__in=roles, is_active=True).order_by("id").first()
    if assigned is not None:
        return assigned, role
    if Role.FACILITY_STAFF in roles and case.facility_id:
        link = (
            FacilityStaff.objects.filter(facility_id=case.facility_id, user__is_active=True)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if link is not None:
            return link.user, Role.FACILITY_STAFF
    nearest = (
        User.objects.filter(
            role__in=roles, is_active=True, unit__path__in=_unit_and_above(case.unit)
        )
        .order_by("-unit__level", "id")
        .first()
    )
    return nearest, role


def supervisors_above(unit: AdminUnit | None, level: int) -> list[User]:
    """The supervisors told at an escalation level: the district's (1), the province's (2).

    Where a level has no supervisor account the next one up is told, up to the ministry, so an
    escalation never goes nowhere.
    """
    prefixes = _unit_and_above(unit)
    wanted = AdminUnit.Level.DISTRICT if level <= Breach.Level.DISTRICT else AdminUnit.Level.REGION
    supervisors = User.objects.filter(
        role=Role.SUPERVISOR, is_active=True, unit__path__in=prefixes
    ).select_related("unit")
    by_level: dict[int, list[User]] = {}
    for user in supervisors:
        by_level.setdefault(user.unit.level, []).append(user)
    for unit_level in range(wanted, AdminUnit.Level.COUNTRY - 1, -1):
        if by_level.get(unit_level):
            return by_level[unit_level]
    if unit is None:  # citizens not yet placed in a unit: the ministry's supervisors
        return list(
            User.objects.filter(role=Role.SUPERVISOR, is_active=True, unit__level=0).order_by("id")
        )
    return []


# --- recording ------------------------------------------------------------------------------


def _record(breach: Breach, recipients: list[int]) -> bool:
    """Insert the breach unless another run already has; tell the holder after commit."""
    try:
        with transaction.atomic():
            if recipients:
                breach.notified_at = timezone.now()
            breach.save(force_insert=True)
    except IntegrityError:
        return False
    if recipients:
        publish_after_commit(
            events.deadline_missed,
            sender=Breach,
            breach_id=breach.pk,
            recipient_ids=recipients,
            level=Breach.Level.HOLDER,
        )
    return True


def breaches_record_case_steps(*, now: dt.datetime) -> int:
    already = Breach.objects.filter(
        kind=Breach.Kind.CASE_STEP,
        case=OuterRef("pk"),
        step_started_at=OuterRef("status_changed_at"),
    )
    late = (
        Case.objects.filter(due_at__lt=now)
        .exclude(status__in=CLOSED_STATUSES)
        .exclude(Exists(already))
        .select_related("service", "unit")
        .order_by("due_at", "id")[:BATCH]
    )
    recorded = 0
    for case in late:
        holder, role = step_holder(case)
        breach = Breach(
            kind=Breach.Kind.CASE_STEP,
            case=case,
            step=case.status,
            step_started_at=case.status_changed_at,
            unit=case.unit,
            holder=holder,
            holder_role=role,
            due_at=case.due_at,
            breached_at=now,
        )
        recorded += _record(breach, [holder.pk] if holder else [])
    return recorded


def _staff_reply() -> Q:
    return Q(direction=Interaction.Direction.OUTBOUND, author__isnull=False)


def breaches_record_first_replies(*, now: dt.datetime) -> int:
    """Conversations a citizen opened that no staff member answered within the window."""
    windows = [sla.schedule_for(c).first_reply_minutes for c in sla.SUPPORTED_COUNTRIES]
    # Office time never runs faster than the clock: the shortest window is a safe pre-filter.
    earliest = now - dt.timedelta(minutes=min(windows))
    replied = Interaction.objects.filter(_staff_reply(), conversation=OuterRef("pk"))
    already = Breach.objects.filter(kind=Breach.Kind.FIRST_REPLY, conversation=OuterRef("pk"))
    waiting = (
        Conversation.objects.filter(status__in=LIVE_CONVERSATIONS, created_at__lt=earliest)
        .exclude(Exists(replied))
        .exclude(Exists(already))
        .select_related("contact__address_unit", "assignee")
        .order_by("created_at", "id")[:BATCH]
    )
    schedules: dict[str, sla.Schedule] = {}
    recorded = 0
    for conversation in waiting:
        unit = conversation.contact.address_unit
        country = country_of(unit)
        schedule = schedules.setdefault(country, sla.schedule_for(country))
        due = schedule.add_office_time(
            conversation.created_at, dt.timedelta(minutes=schedule.first_reply_minutes)
        )
        if due >= now:
            continue
        holder = conversation.assignee
        breach = Breach(
            kind=Breach.Kind.FIRST_REPLY,
            conversation=conversation,
            step=conversation.channel,
            step_started_at=conversation.created_at,
            unit=unit,
            holder=holder,
            holder_role=holder.role if holder else Role.AGENT,
            due_at=due,
            breached_at=now,
        )
        recorded += _record(breach, [holder.pk] if holder else [])
    return recorded


def breach_record_callback(
    *,
    callback_id: int,
    due_at: dt.datetime,
    created_at: dt.datetime,
    unit: AdminUnit | None,
    holder: User | None,
    now: dt.datetime,
) -> bool:
    """A promised call back not made by its due time (called by the channel hub's source)."""
    breach = Breach(
        kind=Breach.Kind.CALLBACK,
        callback_id=callback_id,
        step="callback",
        step_started_at=created_at,
        unit=unit,
        holder=holder,
        holder_role=holder.role if holder else Role.AGENT,
        due_at=due_at,
        breached_at=now,
    )
    return _record(breach, [holder.pk] if holder else [])


def breach_resolve_callback(*, callback_id: int, at: dt.datetime) -> int:
    return Breach.objects.filter(
        kind=Breach.Kind.CALLBACK, callback_id=callback_id, resolved_at__isnull=True
    ).update(resolved_at=at)


# --- resolving and escalating ---------------------------------------------------------------


def breaches_resolve(*, now: dt.datetime) -> int:
    """Stamp the breaches whose late step has since been done (the case moved on, a reply)."""
    moved_on = Breach.objects.filter(kind=Breach.Kind.CASE_STEP, resolved_at__isnull=True).exclude(
        case__status_changed_at=F("step_started_at")
    )
    count = moved_on.update(
        resolved_at=Subquery(
            Case.objects.filter(pk=OuterRef("case_id")).values("status_changed_at")
        )
    )
    first_reply = Interaction.objects.filter(
        _staff_reply(), conversation=OuterRef("conversation_id")
    ).order_by("occurred_at")
    answered = Breach.objects.filter(kind=Breach.Kind.FIRST_REPLY, resolved_at__isnull=True).filter(
        Exists(first_reply) | Q(conversation__status=Conversation.Status.RESOLVED)
    )
    count += answered.update(resolved_at=now)
    return count


def breaches_escalate(*, now: dt.datetime) -> int:
    """Tell the supervisors above about breaches still open after the grace period."""
    schedules = {c: sla.schedule_for(c) for c in sla.SUPPORTED_COUNTRIES}
    shortest = min(s.escalate_after_minutes for s in schedules.values())
    candidates = (
        Breach.objects.filter(
            resolved_at__isnull=True,
            level__lt=Breach.Level.PROVINCE,
            due_at__lte=now - dt.timedelta(minutes=shortest),
        )
        .select_related("unit")
        .order_by("due_at", "id")[:BATCH]
    )
    escalated = 0
    for breach in candidates:
        schedule = schedules.get(country_of(breach.unit)) or sla.schedule_for(
            country_of(breach.unit)
        )
        grace = dt.timedelta(minutes=schedule.escalate_after_minutes)
        target = breach.level
        if schedule.add_office_time(breach.due_at, grace * 2) <= now:
            target = Breach.Level.PROVINCE
        elif schedule.add_office_time(breach.due_at, grace) <= now:
            target = Breach.Level.DISTRICT
        if target <= breach.level:
            continue
        escalated += _escalate(breach, target, now)
    return escalated


def _escalate(breach: Breach, target: int, now: dt.datetime) -> int:
    stamps: dict[str, object] = {"level": target}
    if breach.level < Breach.Level.DISTRICT:
        stamps["escalated_to_district_at"] = now
    if target >= Breach.Level.PROVINCE:
        stamps["escalated_to_province_at"] = now
    with transaction.atomic():
        # Only one run moves a breach up a level: the level in the filter is the lock.
        moved = Breach.objects.filter(pk=breach.pk, level=breach.level).update(**stamps)
        if not moved:
            return 0
        recipients = [u.pk for u in supervisors_above(breach.unit, target)]
        if recipients:
            publish_after_commit(
                events.deadline_missed,
                sender=Breach,
                breach_id=breach.pk,
                recipient_ids=recipients,
                level=target,
            )
        else:
            logger.warning("breach %s: no supervisor above unit %s", breach.pk, breach.unit_id)
    return 1


def step_time_record(*, case: Case, left_at: dt.datetime) -> StepTime:
    """The step the case is leaving, with how long it took (called inside the transition)."""
    return StepTime.objects.create(
        case=case,
        step=case.status,
        service_id=case.service_id,
        unit_id=case.unit_id,
        district_id=case.district_id,
        entered_at=case.status_changed_at,
        left_at=left_at,
        due_at=case.due_at,
        seconds=max(0, int((left_at - case.status_changed_at).total_seconds())),
        within_deadline=case.due_at is None or left_at <= case.due_at,
    )
