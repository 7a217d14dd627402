"""Office hours, time zones and the decree calendar, and deadlines counted on them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from cases import sla
from cases.models import CalendarOverride, OfficeHours
from cases.workflows.base import Transition, WorkflowDefinition

UB = zoneinfo.ZoneInfo("Asia/Ulaanbaatar")
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
UTC = dt.UTC

pytestmark = pytest.mark.django_db


def ub(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UB)


def almaty(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


def test_both_countries_have_office_hours_from_the_data_migration():
    rows = {row.country: row for row in OfficeHours.objects.all()}
    assert rows["MN"].time_zone == "Asia/Ulaanbaatar"
    assert (rows["MN"].opens_at, rows["MN"].closes_at) == (dt.time(8, 30), dt.time(17, 30))
    assert (rows["MN"].lunch_starts_at, rows["MN"].lunch_ends_at) == (
        dt.time(12, 30),
        dt.time(13, 30),
    )
    assert rows["KZ"].time_zone == "Asia/Almaty"
    assert (rows["KZ"].opens_at, rows["KZ"].closes_at) == (dt.time(9, 0), dt.time(18, 30))


def test_minutes_deadline_skips_the_lunch_break():
    # 10 minutes before lunch, the other 20 after it.
    assert sla.deadline_after(ub(2026, 4, 15, 12, 20), sla.minutes(30), "MN") == ub(
        2026, 4, 15, 13, 50
    )
    # Given during lunch: the clock starts when the office reopens.
    assert sla.deadline_after(ub(2026, 4, 15, 12, 45), sla.minutes(30), "MN") == ub(
        2026, 4, 15, 14, 0
    )


def test_hours_deadline_over_a_weekend():
    # Friday 17:30 in Almaty: one hour left today, the second on Monday morning.
    due = sla.deadline_after(almaty(2026, 4, 17, 17, 30), sla.hours(2), "KZ")
    assert due == almaty(2026, 4, 20, 10, 0)
    # Given on Saturday: counted from Monday's opening.
    assert sla.deadline_after(almaty(2026, 4, 18, 11, 0), sla.minutes(30), "KZ") == almaty(
        2026, 4, 20, 9, 30
    )


def test_minutes_deadline_over_a_weekend_in_ulaanbaatar():
    # Friday 17:20: ten minutes before closing, the other twenty on Monday from 08:30.
    assert sla.deadline_after(ub(2026, 4, 17, 17, 20), sla.minutes(30), "MN") == ub(
        2026, 4, 20, 8, 50
    )


def test_minutes_deadline_after_closing_is_due_next_working_morning():
    assert sla.deadline_after(ub(2026, 4, 15, 17, 15), sla.minutes(30), "MN") == ub(
        2026, 4, 16, 8, 45
    )


def test_decree_moves_a_working_saturday_and_a_bridge_day_off():
    CalendarOverride.objects.create(
        country="MN", date=dt.date(2026, 4, 18), is_working_day=True, reason="Resolution 12"
    )
    CalendarOverride.objects.create(
        country="MN", date=dt.date(2026, 4, 20), is_working_day=False, reason="Resolution 12"
    )
    # Friday 17:00 + 1 h: half an hour on Friday, the rest on the decreed working Saturday.
    assert sla.deadline_after(ub(2026, 4, 17, 17, 0), sla.hours(1), "MN") == ub(2026, 4, 18, 9, 0)
    assert sla.is_working_day(dt.date(2026, 4, 18), "MN")
    assert not sla.is_working_day(dt.date(2026, 4, 20), "MN")
    # The Monday off is skipped by working days; Kazakhstan's calendar is untouched.
    assert sla.add_working_days(dt.date(2026, 4, 17), 2, "MN") == dt.date(2026, 4, 21)
    assert sla.add_working_days(dt.date(2026, 4, 17), 2, "KZ") == dt.date(2026, 4, 21)
    assert sla.add_working_days(dt.date(2026, 4, 16), 2, "KZ") == dt.date(2026, 4, 20)
    assert not sla.is_working_day(dt.date(2026, 4, 18), "KZ")


def test_public_holidays_come_from_the_holidays_calendar():
    # Naadam (10-15 July 2026) in Mongolia: a deadline given on Thursday 9 July at 17:00
    # has half an hour that day and the rest on the 16th; Kazakhstan works through it.
    assert sla.deadline_after(ub(2026, 7, 9, 17, 0), sla.hours(1), "MN") == ub(2026, 7, 16, 9, 0)
    assert sla.deadline_after(almaty(2026, 7, 9, 18, 0), sla.hours(1), "KZ") == almaty(
        2026, 7, 10, 9, 30
    )


def test_the_same_instant_is_open_in_ulaanbaatar_and_closed_in_almaty():
    instant = dt.datetime(2026, 4, 15, 1, 0, tzinfo=UTC)  # 09:00 in UB, 06:00 in Almaty
    assert sla.is_open("MN", instant)
    assert not sla.is_open("KZ", instant)
    assert sla.next_opening("MN", instant) == instant
    assert sla.next_opening("KZ", instant) == almaty(2026, 4, 15, 9, 0)
    # Each country's closing is its own local time: 17:30 in UB, 18:30 in Almaty.
    assert sla.deadline_after(instant, sla.working_days(1), "MN") == ub(2026, 4, 16, 17, 30)
    assert sla.deadline_after(instant, sla.working_days(1), "KZ") == almaty(2026, 4, 16, 18, 30)


def test_closed_at_lunch_at_night_and_at_the_weekend():
    assert not sla.is_open("MN", ub(2026, 4, 15, 13, 0))
    assert sla.next_opening("MN", ub(2026, 4, 15, 13, 0)) == ub(2026, 4, 15, 13, 30)
    assert not sla.is_open("MN", ub(2026, 4, 15, 22, 0))
    assert sla.next_opening("MN", ub(2026, 4, 17, 18, 0)) == ub(2026, 4, 20, 8, 30)
    assert sla.is_open("KZ", almaty(2026, 4, 15, 18, 29))
    assert not sla.is_open("KZ", almaty(2026, 4, 15, 18, 30))


def test_office_hours_edited_in_the_admin_take_effect():
    row = OfficeHours.objects.get(country="MN")
    row.opens_at = dt.time(10, 0)
    row.lunch_starts_at = row.lunch_ends_at = None
    row.save()
    assert sla.next_opening("MN", ub(2026, 4, 15, 9, 0)) == ub(2026, 4, 15, 10, 0)
    assert sla.is_open("MN", ub(2026, 4, 15, 13, 0))


def test_defaults_apply_when_a_country_has_no_row():
    OfficeHours.objects.filter(country="KZ").delete()
    assert sla.next_opening("KZ", almaty(2026, 4, 15, 7, 0)) == almaty(2026, 4, 15, 9, 0)


def test_office_time_between_counts_only_open_minutes():
    start, end = ub(2026, 4, 17, 17, 0), ub(2026, 4, 20, 9, 0)  # Friday to Monday
    assert sla.office_time_between(start, end, "MN") == dt.timedelta(hours=1)
    assert sla.office_time_between(end, start, "MN") == -dt.timedelta(hours=1)


def test_lunch_outside_opening_hours_is_refused():
    row = OfficeHours(
        country="MN",
        time_zone="Asia/Ulaanbaatar",
        opens_at=dt.time(9),
        closes_at=dt.time(17),
        lunch_starts_at=dt.time(8),
        lunch_ends_at=dt.time(9, 30),
    )
    with pytest.raises(ValidationError):
        row.clean()
    row.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError):
        row.full_clean(exclude=["country"])


def test_deadlines_are_declared_in_any_unit_and_working_days_still_work():
    assert sla.as_duration(10) == sla.working_days(10)
    assert Transition("x", ("a",), "b", frozenset(), deadline=sla.minutes(30)).step_deadline == (
        sla.minutes(30)
    )
    assert Transition("x", ("a",), "b", frozenset(), deadline_working_days=5).step_deadline == (
        sla.working_days(5)
    )
    assert Transition("x", ("a",), "b", frozenset()).step_deadline is None
    flow = WorkflowDefinition("w", "a", (), initial_deadline=sla.hours(2))
    assert flow.first_step_deadline == sla.hours(2)
    with pytest.raises(ValueError):
        sla.minutes(-1)


def test_a_submitted_case_is_due_when_the_office_closes_on_its_due_day(submitted_case):
    case = submitted_case()
    assert case.due_at == sla.schedule_for("MN").closing_time(case.due_date)
    assert not case.is_overdue


def test_the_admin_lists_office_hours_overrides_and_missed_deadlines(client, staff):
    client.force_login(staff.admin)
    CalendarOverride.objects.create(
        country="KZ", date=dt.date(2026, 4, 18), is_working_day=True, reason="Decree 7"
    )
    for url in (
        "/admin/cases/officehours/",
        "/admin/cases/calendaroverride/",
        "/admin/cases/breach/",
        f"/admin/cases/officehours/{OfficeHours.objects.get(country='MN').pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/cases/breach/add/").status_code == 403


def test_a_step_declared_in_minutes_is_due_in_office_minutes(
    submitted_case, staff, carehome, monkeypatch
):
    import dataclasses

    from cases import workflows
    from cases.transitions import case_apply_action

    placement = workflows.WORKFLOWS["placement"]
    allocate = dataclasses.replace(placement.transition("allocate"), deadline=sla.minutes(30))
    quick = dataclasses.replace(
        placement,
        transitions=tuple(allocate if t.action == "allocate" else t for t in placement.transitions),
    )
    monkeypatch.setitem(workflows.WORKFLOWS, "placement", quick)
    case = case_apply_action(
        case=submitted_case(),
        action="allocate",
        actor=staff.district,
        payload={"facility": carehome.pk},
    )
    schedule = sla.schedule_for("MN")
    assert case.due_at == schedule.add_office_time(case.status_changed_at, dt.timedelta(minutes=30))
    assert case.due_date == schedule.local(case.due_at).date()
