"""Call-centre figures: volumes, response and handling times, outcomes (GROUP BYs only).

Each function takes the conversations the caller may see (``console.selectors.
conversations_visible_to`` or the API's equivalent), so figures follow the same jurisdiction as
the inbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate

from .models import Conversation, Interaction


class EpochSeconds(Func):
    """Seconds since 1970 of a timestamp, so durations average the same on every database."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(julianday(%(expressions)s) * 86400.0)", **extra
        )


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def staff_replies() -> QuerySet[Interaction]:
    return Interaction.objects.filter(
        direction=Interaction.Direction.OUTBOUND, author__isnull=False
    )


def volume_by_channel_and_day(
    conversations: QuerySet[Conversation], *, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """Messages, calls and visits from citizens per channel per day."""
    rows = (
        Interaction.objects.filter(
            conversation__in=conversations.values("pk"),
            direction=Interaction.Direction.INBOUND,
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
        .order_by()
        .annotate(day=TruncDate("occurred_at"))
        .values("day", "channel")
        .annotate(count=Count("id"))
    )
    return sorted(rows, key=lambda r: (r["day"], r["channel"]))


def response_times(
    conversations: QuerySet[Conversation], *, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """Per channel: conversations opened, answered, mean minutes to the first staff reply and
    mean minutes to resolution (handling time)."""
    first_reply = (
        staff_replies()
        .filter(conversation=OuterRef("pk"))
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    opened = (
        conversations.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .annotate(first_reply_at=Subquery(first_reply))
        .values("channel")
        .annotate(
            opened=Count("id"),
            answered=Count("first_reply_at"),
            resolved=Count("resolved_at"),
            first_response=Avg(EpochSeconds(F("first_reply_at")) - EpochSeconds(F("created_at"))),
            handling=Avg(EpochSeconds(F("resolved_at")) - EpochSeconds(F("created_at"))),
        )
    )
    return [
        {
            "channel": r["channel"],
            "opened": r["opened"],
            "answered": r["answered"],
            "resolved": r["resolved"],
            "first_response_minutes": _minutes(r["first_response"]),
            "handling_minutes": _minutes(r["handling"]),
        }
        for r in sorted(opened, key=lambda r: r["channel"])
    ]


def resolved_by(
    conversations: QuerySet[Conversation],
    *,
    field: str,
    since: dt.datetime,
    until: dt.datetime,
) -> list[dict[str, Any]]:
    """Conversations resolved in the period per wrap-up code, agent (assignee) or team."""
    if field not in ("wrap_up_code", "assignee", "team"):
        raise ValueError(f"Cannot group resolved conversations by {field!r}.")
    column = "assignee__username" if field == "assignee" else field
    rows = (
        conversations.filter(
            status=Conversation.Status.RESOLVED, resolved_at__gte=since, resolved_at__lt=until
        )
        .order_by()
        .values(column)
        .annotate(
            count=Count("id"),
            handling=Avg(EpochSeconds(F("resolved_at")) - EpochSeconds(F("created_at"))),
        )
    )
    return [
        {"key": r[column] or "", "count": r["count"], "handling_minutes": _minutes(r["handling"])}
        for r in sorted(rows, key=lambda r: -r["count"])
    ]
