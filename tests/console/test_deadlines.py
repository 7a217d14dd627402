"""First replies and call backs have deadlines too: missed ones are recorded and told."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import sla
from cases.breaches import Breach
from cases.deadlines import deadlines_check
from channels_app.models import CallbackRequest
from console import services
from crm.models import Conversation

pytestmark = pytest.mark.django_db


def test_an_unanswered_message_breaches_the_first_reply_window(sms_from, staff, citizen):
    sms_from("+97699112233", "Асрамжийн газрын талаар асуух зүйл байна")
    conversation = Conversation.objects.get(contact=citizen)
    schedule = sla.schedule_for("MN")
    due = schedule.add_office_time(
        conversation.created_at, dt.timedelta(minutes=schedule.first_reply_minutes)
    )
    assert deadlines_check(now=due - dt.timedelta(minutes=1)).recorded == 0
    assert deadlines_check(now=due + dt.timedelta(minutes=1)).recorded == 1
    assert deadlines_check(now=due + dt.timedelta(minutes=2)).recorded == 0
    breach = Breach.objects.get()
    assert (breach.kind, breach.conversation, breach.due_at) == ("first_reply", conversation, due)
    assert breach.holder == conversation.assignee

    conversation.refresh_from_db()
    services.conversation_reply(
        conversation=conversation, agent=staff.agent, body="Сайн байна уу, бид туслая."
    )
    deadlines_check(now=due + dt.timedelta(minutes=3))
    breach.refresh_from_db()
    assert breach.resolved_at is not None


def test_a_call_back_not_made_in_time_is_a_breach_until_it_is_made(citizen, staff):
    callback = CallbackRequest.objects.create(
        contact=citizen,
        channel="sms",
        phone="+97699112233",
        due_at=dt.datetime(2026, 4, 15, 3, 0, tzinfo=dt.UTC),
        assignee=staff.agent,
    )
    now = dt.datetime(2026, 4, 15, 3, 5, tzinfo=dt.UTC)
    assert deadlines_check(now=now).recorded == 1
    assert deadlines_check(now=now).recorded == 0
    breach = Breach.objects.get(kind="callback")
    assert (breach.callback_id, breach.holder, breach.unit) == (
        callback.pk,
        staff.agent,
        citizen.address_unit,
    )

    services.callback_close(callback=callback, agent=staff.agent, outcome="done", note="Ярьсан")
    deadlines_check(now=now + dt.timedelta(minutes=1))
    breach.refresh_from_db()
    assert breach.resolved_at is not None


def test_deadlines_read_as_due_in_or_overdue():
    from django.utils import timezone

    from console.templatetags.console_tags import due_in

    now = timezone.now()
    assert due_in(now + dt.timedelta(hours=2, minutes=1)) == "due in 2 h"
    assert due_in(now - dt.timedelta(hours=3, minutes=1)) == "3 h overdue"
    assert due_in(now + dt.timedelta(minutes=30, seconds=30)) == "due in 30 min"
    assert due_in(now + dt.timedelta(days=3, hours=1)) == "due in 3 days"
    assert due_in(now - dt.timedelta(days=1, hours=1)) == "25 h overdue"


def test_the_worklist_shows_the_missed_deadline_badge_and_overdue_times(
    signed_in, staff, citizen, placement
):
    from django.utils import timezone

    from cases import services as case_services

    case = case_services.case_create(
        beneficiary=citizen, service=placement, actor=staff.local7, origin_channel="walk_in"
    )
    page = signed_in(staff.local7).get("/console/cases/?status=draft").content.decode()
    assert "due in" in page and "late-badge" not in page
    case.due_at = timezone.now() - dt.timedelta(hours=3, minutes=5)
    case.save(update_fields=["due_at"])
    assert deadlines_check().recorded == 1
    assert Breach.objects.get().holder == staff.local7
    page = signed_in(staff.local7).get("/console/cases/?status=draft").content.decode()
    assert "3 h overdue" in page
    assert '<span class="badge bad">1</span> missed deadline needs you' in page
    other = signed_in(staff.local12).get("/console/cases/?status=draft").content.decode()
    assert 'id="late-badge"' not in other


def test_the_case_page_shows_the_next_step_due_relative_and_as_a_date(
    signed_in, staff, citizen, placement
):
    from django.utils import timezone

    from cases import services as case_services

    case = case_services.case_create(
        beneficiary=citizen, service=placement, actor=staff.local7, origin_channel="walk_in"
    )
    case.due_at = timezone.now() + dt.timedelta(hours=2, minutes=10)
    case.save(update_fields=["due_at"])
    page = signed_in(staff.local7).get(f"/console/cases/{case.pk}/").content.decode()
    assert "due in 2 h" in page
    assert timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") in page

    case.due_at = timezone.now() - dt.timedelta(hours=3, minutes=10)
    case.save(update_fields=["due_at"])
    page = signed_in(staff.local7).get(f"/console/cases/{case.pk}/").content.decode()
    assert '<span class="badge bad">3 h overdue</span>' in page
