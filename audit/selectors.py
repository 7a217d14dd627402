"""Reading the audit trail, always within the reader's jurisdiction."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from crm.errors import ValidationFailed
from crm.jurisdiction import contacts_visible_to
from crm.models import Role, User

from .models import AuditEntry

READER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def may_read_audit(user: User) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in READER_ROLES)
    )


def audit_entries_visible_to(*, user: User) -> QuerySet[AuditEntry]:
    """Rows about citizens the reader may see, and staff actions inside the reader's unit."""
    rows = AuditEntry.objects.all()
    if not may_read_audit(user):
        return rows.none()
    if user.sees_everything:
        return rows
    if not user.unit_id:
        return rows.none()
    staff = User.objects.filter(unit__path__startswith=user.unit.path).values("pk")
    return rows.filter(
        Q(contact_id__in=contacts_visible_to(user).values("pk"))
        | Q(contact_id__isnull=True, actor_id__in=staff)
    )


def parse_since(value: str) -> dt.datetime | None:
    """An ISO date or date-time; a bare date means its midnight in the server's time zone."""
    value = (value or "").strip()
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValidationFailed(
                "since must be an ISO date (2026-11-30) or date-time (2026-11-30T08:00:00Z).",
                details={"since": [value]},
            )
        moment = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def audit_filter(
    rows: QuerySet[AuditEntry],
    *,
    contact: str = "",
    actor: str = "",
    since: str = "",
    until: str = "",
    action: str = "",
    object_type: str = "",
) -> QuerySet[AuditEntry]:
    """The filters of the API and the console pages; bad values say what to fix."""
    contact = (contact or "").strip()
    if contact:
        if not contact.isdigit():
            raise ValidationFailed(
                "contact must be a citizen's id.", details={"contact": [contact]}
            )
        rows = rows.filter(contact_id=int(contact))
    actor = (actor or "").strip()
    if actor:
        rows = (
            rows.filter(actor_id=int(actor))
            if actor.isdigit()
            else rows.filter(actor_username=actor)
        )
    start = parse_since(since)
    if start is not None:
        rows = rows.filter(at__gte=start)
    end = parse_since(until)
    if end is not None:
        rows = rows.filter(at__lt=end + dt.timedelta(days=1) if len(until.strip()) == 10 else end)
    if action:
        rows = rows.filter(action=action)
    if object_type:
        rows = rows.filter(object_type=object_type)
    return rows.order_by("-at", "-id")
