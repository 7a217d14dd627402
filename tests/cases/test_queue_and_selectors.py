"""The district's waiting queue, case numbers, and the selectors other apps call."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases import selectors, services
from cases.labels import STATUS_LABELS, status_label
from cases.models import Case, CaseCounter, Status
from cases.priority import priority_score
from cases.sla import add_working_days, country_of, working_days_between
from cases.transitions import case_apply_action
from tests.factories import ContactFactory


def _old(years: int, **kwargs):
    birth = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=365 * years + 30)
    return ContactFactory(birth_date=birth, **kwargs)


def test_queue_orders_by_priority_then_submission_time(submitted_case, staff, tree):
    k7 = tree.k7
    young = submitted_case(_old(65, address_unit=k7, lives_alone=False))  # 5 points
    first_old = submitted_case(_old(85, address_unit=k7, lives_alone=True))  # 25+20
    second_old = submitted_case(_old(85, address_unit=k7, lives_alone=True))  # same score, later
    # Khoroo 12 is in the same district: one queue for the district office.
    neighbour = submitted_case(_old(75, address_unit=tree.k12, lives_alone=True))  # 15+20
    elsewhere = submitted_case(_old(90, address_unit=tree.s1), actor=staff.agent, papers=False)

    order = [selectors.queue_position(case=c) for c in (first_old, second_old, neighbour, young)]
    assert order == [1, 2, 3, 4]
    assert list(selectors.placement_queue(district_id=tree.skh.pk)) == [
        first_old,
        second_old,
        neighbour,
        young,
    ]
    # The other district has its own queue.
    assert elsewhere.status == Status.SUBMITTED
    assert selectors.queue_position(case=elsewhere) == 1

    # The district worker raises the urgency of the young man: he goes first.
    updated = services.case_update(case=young, actor=staff.district, data={"urgency": 3})
    assert updated.priority_score == priority_score(updated, today=timezone.localdate())
    assert selectors.queue_position(case=young) == 1
    assert selectors.queue_position(case=first_old) == 2

    # A draft is not queued.
    draft = services.case_create(
        beneficiary=young.beneficiary,
        service=young.service,
        actor=staff.agent,
        origin_channel="voice",
    )
    assert selectors.queue_position(case=draft) is None


def test_district_worklist_is_the_queue(submitted_case, staff, tree):
    low = submitted_case(_old(62, address_unit=tree.k7))
    high = submitted_case(_old(92, address_unit=tree.k7, lives_alone=True))
    assert list(selectors.worklist(user=staff.district, status=Status.SUBMITTED)) == [high, low]
    assert selectors.worklists_for(user=staff.district) == {
        "submitted": 2,
        "allocated": 0,
        "in_service": 0,
        "waitlisted": 0,
        "cancelled": 0,
    }


def test_declined_case_keeps_its_place(submitted_case, staff, carehome, carehome_staff, tree):
    first = submitted_case(_old(80, address_unit=tree.k7))
    second = submitted_case(_old(80, address_unit=tree.k7))
    first = case_apply_action(
        case=first, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    assert selectors.queue_position(case=first) is None
    assert selectors.queue_position(case=second) == 1
    first = case_apply_action(case=first, action="decline", actor=carehome_staff)
    assert selectors.queue_position(case=first) == 1
    assert selectors.queue_position(case=second) == 2


def test_case_numbers_are_unique_and_readable(new_case):
    cases = [new_case() for _ in range(5)]
    year = timezone.localdate().year
    numbers = [c.number for c in cases]
    assert len(set(numbers)) == 5
    assert all(re.fullmatch(rf"{year}-\d{{6}}", n) for n in numbers)
    assert numbers == sorted(numbers)
    assert CaseCounter.objects.get(year=year).last == 5
    with pytest.raises(Exception):  # noqa: B017 - the database refuses a duplicate
        Case.objects.create(
            number=numbers[0],
            service=cases[0].service,
            beneficiary=cases[0].beneficiary,
            origin_channel="sms",
        )


def test_cases_for_contact_and_by_number(new_case, staff, citizen):
    helper = ContactFactory(address_unit=citizen.address_unit)
    own = new_case(citizen)
    on_behalf = new_case(helper, applicant=citizen, applicant_relationship="child")
    unrelated = new_case()
    assert set(selectors.cases_for_contact(contact=citizen)) == {own, on_behalf}
    assert unrelated not in selectors.cases_for_contact(contact=citizen)
    assert selectors.case_by_number(number=f" {own.number} ") == own
    assert selectors.case_by_number(number="1900-000000") is None


def test_available_actions_follow_role_status_and_jurisdiction(new_case, staff):
    case = new_case()
    assert selectors.available_actions(case=case, user=staff.local7) == ["submit"]
    assert selectors.available_actions(case=case, user=staff.district) == ["cancel"]
    assert selectors.available_actions(case=case, user=staff.supervisor) == []
    assert selectors.available_actions(case=case, user=staff.local12) == []


def test_case_create_from_a_channel_without_staff(placement, tree):
    person = ContactFactory(address_unit=tree.k12)
    case = services.case_create(
        beneficiary=person, service=placement, actor=None, origin_channel="sms"
    )
    assert case.status == Status.DRAFT
    assert case.unit == tree.k12 and case.district == tree.skh
    assert case.events.get().action == "create"
    assert case.due_date > timezone.localdate()


def test_status_labels_in_four_languages():
    for status in Status.values:
        for language in ("mn", "kk", "ru", "en"):
            assert status_label(status, language)
    assert status_label("waitlisted", "mn") == "Хүлээлэгт орсон"
    assert status_label("in_service", "mn") == "Үйлчлүүлж байгаа"
    assert status_label("submitted", "xx") == "Submitted"
    assert set(STATUS_LABELS) == set(Status.values)


def test_working_days_skip_weekends_and_national_holidays(tree):
    # Naadam: 11-15 July are public holidays in Mongolia, not in Kazakhstan.
    friday = dt.date(2026, 7, 10)
    assert add_working_days(friday, 1, "MN") == dt.date(2026, 7, 16)
    assert add_working_days(friday, 1, "KZ") == dt.date(2026, 7, 13)
    assert working_days_between(friday, dt.date(2026, 7, 16), "MN") == 1
    assert country_of(tree.k7) == "MN"


def test_submitted_case_is_due_in_ten_working_days(submitted_case):
    case = submitted_case()
    today = timezone.localdate()
    assert case.due_date == add_working_days(today, 10, "MN")
    assert not case.is_overdue


def test_overdue_cases_and_the_overdue_filter(api, submitted_case, staff):
    late = submitted_case()
    on_time = submitted_case()
    Case.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1),
        due_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert list(selectors.cases_overdue(user=staff.district)) == [late]
    assert list(selectors.cases_overdue(user=staff.local12)) == []
    rows = api.as_user(staff.district).get("/api/v1/cases/?overdue=true").json()["results"]
    assert [r["id"] for r in rows] == [late.pk]
    assert rows[0]["is_overdue"] is True
    assert on_time.pk not in [r["id"] for r in rows]


def test_allocate_accepts_a_facility_instance(submitted_case, staff, carehome):
    case = case_apply_action(
        case=submitted_case(),
        action="allocate",
        actor=staff.district,
        payload={"facility": carehome},
    )
    assert case.facility == carehome


def test_case_update_reports_invalid_values_as_a_domain_error(new_case, staff):
    from crm.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        services.case_update(case=new_case(), actor=staff.local7, data={"disability_percent": 140})
    assert "disability_percent" in err.value.details


def test_queue_positions_of_a_page_in_one_query(
    submitted_case, staff, tree, django_assert_num_queries
):
    k7 = tree.k7
    cases = [
        submitted_case(_old(65, address_unit=k7)),
        submitted_case(_old(85, address_unit=k7, lives_alone=True)),
        submitted_case(_old(75, address_unit=tree.k12, lives_alone=True)),
        submitted_case(_old(90, address_unit=tree.s1), actor=staff.agent, papers=False),
    ]
    draft = services.case_create(
        beneficiary=cases[0].beneficiary,
        service=cases[0].service,
        actor=staff.agent,
        origin_channel="sms",
    )
    with django_assert_num_queries(1):
        places = selectors.queue_positions(cases=[*cases, draft])
    assert places == {c.pk: selectors.queue_position(case=c) for c in cases}
    assert places[cases[1].pk] == 1 and places[cases[3].pk] == 1
    assert draft.pk not in places
