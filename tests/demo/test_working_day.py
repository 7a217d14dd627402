"""``seed_demo`` leaves a working day behind: requests opened over weeks, each step at its own
moment, some overdue with their breaches recorded, worklists with several requests per tab in
both countries, and every agent's inbox holding conversations on several channels."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from cases.breaches import Breach
from cases.models import Case, CaseEvent, Status, Workflow
from cases.selectors import worklist
from crm.models import Conversation, Interaction, User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _tab(username: str, status: str) -> int:
    return worklist(user=User.objects.get(username=username), status=status).count()


def test_seed_demo_looks_like_a_working_day_and_a_second_run_changes_nothing():
    _seed()
    now = timezone.now()
    placements = Case.objects.filter(service__workflow=Workflow.PLACEMENT)
    opened = sorted(placements.values_list("created_at", flat=True))
    # Spread over weeks, never identical, never in the future.
    assert len({at.date() for at in opened}) >= 10
    assert now - opened[0] > dt.timedelta(days=21)
    assert len(set(opened)) == len(opened)
    assert opened[-1] < now
    for case in placements:
        moments = list(case.events.order_by("id").values_list("occurred_at", flat=True))
        assert moments == sorted(moments) and len(set(moments)) == len(moments), case.number
        assert case.status_changed_at == moments[-1]

    # Some requests are overdue, and the deadline job recorded them (and the unanswered chats).
    overdue = Case.objects.filter(due_at__lt=now).exclude(status__in=[Status.CANCELLED])
    assert overdue.count() >= 3
    breaches = Breach.objects.values_list("kind", flat=True)
    assert {Breach.Kind.CASE_STEP, Breach.Kind.FIRST_REPLY} <= set(breaches)
    assert Breach.objects.filter(kind=Breach.Kind.CASE_STEP, case__in=overdue).exists()

    # Several requests per worklist tab, in both countries.
    for status in (Status.SUBMITTED, Status.ALLOCATED, Status.WAITLISTED, Status.IN_SERVICE):
        assert _tab("district.skh", status) >= 2, status
        assert _tab("kz.district.zer", status) >= 2, status
    for status in (Status.DRAFT, Status.SUBMITTED, Status.IN_SERVICE):
        assert _tab("local.skh07", status) >= 2, status
    assert _tab("kz.local.zer", Status.RETURNED) >= 2

    # Every agent's inbox: several conversations, on several channels, from different days.
    inbox = Conversation.objects.exclude(status=Conversation.Status.RESOLVED)
    channels = set()
    for username in ("agent.bolor", "agent.tuya", "kz.agent"):
        own = inbox.filter(assignee__username=username)
        assert own.count() >= 3, username
        assert own.values("channel").distinct().count() >= 2, username
        channels |= set(own.values_list("channel", flat=True))
    assert {"sms", "voice", "telegram", "kiosk"} <= channels
    assert inbox.values_list("last_activity_at__date").distinct().count() >= 3
    kinds = set(Interaction.objects.filter(channel="voice").values_list("kind", flat=True))
    assert {Interaction.Kind.VOICEMAIL, Interaction.Kind.CALL} <= kinds
    # Replies by agents are on the timeline at their own moment, after the citizen wrote.
    replied = Interaction.objects.filter(direction="out", author__role="agent")
    assert replied.exists()
    for reply in replied:
        asked = reply.conversation.interactions.filter(direction="in").order_by("occurred_at")
        assert asked.first().occurred_at < reply.occurred_at

    counts = (
        Case.objects.count(),
        CaseEvent.objects.count(),
        Conversation.objects.count(),
        Interaction.objects.count(),
        Breach.objects.count(),
    )
    first_opened = dict(Case.objects.values_list("pk", "created_at"))
    output = _seed()
    assert (
        Case.objects.count(),
        CaseEvent.objects.count(),
        Conversation.objects.count(),
        Interaction.objects.count(),
        Breach.objects.count(),
    ) == counts
    assert dict(Case.objects.values_list("pk", "created_at")) == first_opened
    assert output.rstrip().splitlines()[-1].split()[0] in {u.username for u in User.objects.all()}
    # Nobody's inbox holds more than their limit.
    loads = inbox.values("assignee").annotate(n=Count("id"))
    limits = dict(User.objects.values_list("pk", "max_open_conversations"))
    assert all(row["n"] <= limits[row["assignee"]] for row in loads if row["assignee"])
