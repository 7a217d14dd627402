"""Deadlines that act: breaches recorded once, the holder told, the supervisors above told."""

from __future__ import annotations

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from cases import sla
from cases.breaches import Breach
from cases.deadlines import deadlines_check, step_holder
from cases.transitions import case_apply_action
from console.live import user_group
from crm.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def memory_layer(settings):
    """The in-process channel layer: a test reads pushes from one event loop to the next,
    which a Redis layer's per-loop connections do not allow."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


class Inbox:
    """The live events one staff member's consoles receive (the real channel layer)."""

    def __init__(self, user):
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(user_group(user.pk), self.channel)

    def events(self) -> list[dict]:
        received = []
        while True:
            try:
                message = async_to_sync(self._receive)()
            except TimeoutError:
                return received
            received.append(message["event"])

    async def _receive(self):
        import asyncio

        return await asyncio.wait_for(self.layer.receive(self.channel), 0.2)


@pytest.fixture
def supervisors(tree):
    return type(
        "Supervisors",
        (),
        {
            "district": UserFactory(username="sup.skh", role=Role.SUPERVISOR, unit=tree.skh),
            "city": UserFactory(username="sup.ub", role=Role.SUPERVISOR, unit=tree.city),
        },
    )


def run(now, capture):
    with capture(execute=True):
        return deadlines_check(now=now)


def test_a_late_step_is_recorded_once_and_its_holder_told(
    submitted_case, staff, django_capture_on_commit_callbacks
):
    case = submitted_case()
    assert step_holder(case) == (staff.district, Role.DISTRICT_WORKER)
    inbox = Inbox(staff.district)
    late = case.due_at + dt.timedelta(minutes=1)

    assert (
        run(case.due_at - dt.timedelta(minutes=1), django_capture_on_commit_callbacks).recorded == 0
    )
    assert run(late, django_capture_on_commit_callbacks).recorded == 1
    assert run(late + dt.timedelta(minutes=1), django_capture_on_commit_callbacks).recorded == 0

    breach = Breach.objects.get()
    assert (breach.kind, breach.case, breach.step) == ("case_step", case, "submitted")
    assert breach.holder == staff.district
    assert breach.due_at == case.due_at
    assert breach.breached_at == late
    assert breach.notified_at is not None
    told = [e for e in inbox.events() if e["kind"] == "deadline"]
    assert len(told) == 1
    assert told[0]["case"] == case.pk and told[0]["label"] == case.number
    assert told[0]["level"] == 0


def test_the_next_step_is_a_new_breach_and_the_first_is_kept(
    submitted_case, staff, carehome, django_capture_on_commit_callbacks
):
    case = submitted_case()
    run(case.due_at + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    first = Breach.objects.get()

    case = case_apply_action(
        case=case, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    run(timezone.now(), django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.resolved_at == case.status_changed_at
    assert (first.step, first.holder, first.due_at) == ("submitted", staff.district, first.due_at)

    run(case.due_at + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    second = Breach.objects.exclude(pk=first.pk).get()
    assert second.step == "allocated"
    assert second.due_at == case.due_at
    first.refresh_from_db()
    assert first.step == "submitted"
    assert Breach.objects.count() == 2


def test_escalation_to_the_district_then_the_province_after_the_grace_period(
    submitted_case, staff, supervisors, django_capture_on_commit_callbacks
):
    case = submitted_case()
    schedule = sla.schedule_for("MN")
    grace = dt.timedelta(minutes=schedule.escalate_after_minutes)
    district_inbox, city_inbox = Inbox(supervisors.district), Inbox(supervisors.city)
    ministry_inbox = Inbox(staff.supervisor)

    run(case.due_at + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    just_before = schedule.add_office_time(case.due_at, grace) - dt.timedelta(minutes=1)
    assert run(just_before, django_capture_on_commit_callbacks).escalated == 0
    assert district_inbox.events() == []

    after_grace = schedule.add_office_time(case.due_at, grace)
    assert run(after_grace, django_capture_on_commit_callbacks).escalated == 1
    breach = Breach.objects.get()
    assert breach.level == Breach.Level.DISTRICT
    assert breach.escalated_to_district_at == after_grace
    told = district_inbox.events()
    assert [(e["kind"], e["level"], e["case"]) for e in told] == [("deadline", 1, case.pk)]
    assert city_inbox.events() == []
    # A second run in the same minute does not tell anyone twice.
    assert run(after_grace, django_capture_on_commit_callbacks).escalated == 0
    assert district_inbox.events() == []

    after_twice = schedule.add_office_time(case.due_at, grace * 2)
    assert run(after_twice, django_capture_on_commit_callbacks).escalated == 1
    breach.refresh_from_db()
    assert breach.level == Breach.Level.PROVINCE
    assert [e["level"] for e in city_inbox.events()] == [2]
    assert district_inbox.events() == []
    assert ministry_inbox.events() == []


def test_escalation_goes_up_to_the_ministry_where_no_supervisor_sits_lower(
    submitted_case, staff, django_capture_on_commit_callbacks
):
    case = submitted_case()
    schedule = sla.schedule_for("MN")
    inbox = Inbox(staff.supervisor)
    run(case.due_at + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    later = schedule.add_office_time(
        case.due_at, dt.timedelta(minutes=schedule.escalate_after_minutes)
    )
    run(later, django_capture_on_commit_callbacks)
    assert [e["level"] for e in inbox.events() if e["kind"] == "deadline"] == [1]


def test_a_draft_is_held_by_the_assigned_local_worker(new_case, staff):
    case = new_case()
    assert step_holder(case) == (staff.local7, Role.LOCAL_WORKER)
