"""The case page as its workers use it: refusals on the case's own address, confirmations,
admission with a bed, people by name, notes and tasks, the worklist's search, the messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, CaseTask, Service
from cases.services import case_create
from cases.transitions import case_apply_action
from tests.cases.conftest import attach_placement_papers, complete_draft
from tests.factories import ContactFactory, IdentityFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def draft(placement, staff, citizen):
    return case_create(
        beneficiary=citizen, service=placement, actor=staff.local7, origin_channel="walk_in"
    )


@pytest.fixture
def submitted(staff, draft):
    return case_apply_action(case=complete_draft(draft), action="submit", actor=staff.local7)


@pytest.fixture
def waitlisted(staff, submitted, carehome, carehome_staff):
    attach_placement_papers(submitted)
    case = case_apply_action(
        case=submitted, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    return case_apply_action(case=case, action="accept", actor=carehome_staff)


def test_a_refused_submit_is_shown_at_the_case_address_and_a_reload_sends_nothing(
    staff, signed_in, draft
):
    worker = signed_in(staff.local7)
    answer = worker.post(f"/console/cases/{draft.pk}/actions/submit/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/console/cases/{draft.pk}/#action-submit"
    page = worker.get(answer["Location"]).content.decode()
    assert f"Cannot submit case {draft.number}" in page
    # The error was for that one page: reloading the case shows the case, not the refusal.
    again = worker.get(f"/console/cases/{draft.pk}/").content.decode()
    assert f"Cannot submit case {draft.number}" not in again
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_refused_edit_keeps_what_was_typed_and_saves_nothing(staff, signed_in, draft):
    worker = signed_in(staff.local7)
    answer = worker.post(
        f"/console/cases/{draft.pk}/edit/",
        {
            "reason_for_care": "Ганц бие",
            "has_disability": "yes",
            "disability_type": "Харааны",
            "disability_percent": "140",
        },
        follow=True,
    )
    assert answer.redirect_chain == [(f"/console/cases/{draft.pk}/#request", 302)]
    page = answer.content.decode()
    assert "Lost working capacity (%): Ensure this value is less than or equal to 100." in page
    assert "Ганц бие</textarea>" in page and 'value="140"' in page
    draft.refresh_from_db()
    assert draft.reason_for_care == "" and draft.disability_percent is None


def test_accepting_asks_for_a_confirmation_and_a_refusal_changes_nothing(
    staff, signed_in, submitted, carehome, carehome_staff
):
    attach_placement_papers(submitted)
    case_apply_action(
        case=submitted, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    home = signed_in(carehome_staff)
    page = home.get(f"/console/cases/{submitted.pk}/").content.decode()
    assert 'id="action-accept" data-confirm="Accept this person into your care home?' in page
    assert 'id="confirm-dialog"' in page and "console/case.js" in page

    unconfirmed = home.post(f"/console/cases/{submitted.pk}/actions/accept/", follow=True)
    assert "Confirm the step first: it cannot be undone." in unconfirmed.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "allocated"

    home.post(f"/console/cases/{submitted.pk}/actions/accept/", {"confirmed": "on"})
    submitted.refresh_from_db()
    assert submitted.status == "waitlisted"


def test_admission_records_the_day_room_and_bed_and_keeps_a_bed_for_one_person(
    staff, signed_in, waitlisted, carehome, carehome_staff, placement
):
    home = signed_in(carehome_staff)
    url = f"/console/cases/{waitlisted.pk}/actions/admit/"
    page = home.get(f"/console/cases/{waitlisted.pk}/").content.decode()
    assert 'id="admit-date"' in page and 'id="admit-bed"' in page

    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    future = home.post(url, {"admitted_on": tomorrow, "bed": "4", "confirmed": "on"}, follow=True)
    assert "an admission date not in the future" in future.content.decode()
    no_bed = home.post(url, {"admitted_on": TODAY().isoformat(), "confirmed": "on"}, follow=True)
    assert "Bed: This field is required." in no_bed.content.decode()
    waitlisted.refresh_from_db()
    assert waitlisted.status == "waitlisted"

    home.post(
        url, {"admitted_on": TODAY().isoformat(), "room": "12", "bed": "4", "confirmed": "on"}
    )
    waitlisted.refresh_from_db()
    assert (waitlisted.status, waitlisted.admitted_on, waitlisted.room, waitlisted.bed) == (
        "in_service",
        TODAY(),
        "12",
        "4",
    )
    page = home.get(f"/console/cases/{waitlisted.pk}/").content.decode()
    assert f"{TODAY():%Y-%m-%d} · Room 12, bed 4" in page  # the facts
    assert "Room 12, bed 4 · " in page  # the history line of the admission

    # The next person cannot be put in the same bed.
    other = case_create(
        beneficiary=ContactFactory(address_unit=staff.local7.unit, sex="M"),
        service=placement,
        actor=staff.local7,
        origin_channel="walk_in",
    )
    other = case_apply_action(case=complete_draft(other), action="submit", actor=staff.local7)
    attach_placement_papers(other)
    other = case_apply_action(
        case=other, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    other = case_apply_action(case=other, action="accept", actor=carehome_staff)
    taken = home.post(
        f"/console/cases/{other.pk}/actions/admit/",
        {"admitted_on": TODAY().isoformat(), "room": "12", "bed": "4", "confirmed": "on"},
        follow=True,
    )
    assert f"room 12, bed 4 is case {waitlisted.number}" in taken.content.decode()
    other.refresh_from_db()
    assert other.status == "waitlisted"


def test_the_history_and_the_owner_read_as_people_not_accounts(staff, signed_in, submitted):
    staff.local7.first_name, staff.local7.last_name = "Сараа", "Бат"
    staff.local7.save()
    page = signed_in(staff.district).get(f"/console/cases/{submitted.pk}/").content.decode()
    assert '<td class="small" data-actor>Сараа Бат · Local social worker' in page
    assert 'id="case-owner">Сараа Бат · Local social worker' in page
    assert ">local7<" not in page


def test_notes_and_tasks_on_the_case_and_the_tasks_due_on_the_worklist(staff, signed_in, submitted):
    district = signed_in(staff.district)
    district.post(f"/console/cases/{submitted.pk}/notes/", {"text": "Охин нь утсаар ярьсан."})
    page = district.get(f"/console/cases/{submitted.pk}/").content.decode()
    assert "Охин нь утсаар ярьсан." in page

    past = district.post(
        f"/console/cases/{submitted.pk}/tasks/",
        {
            "title": "Visit",
            "assignee": staff.local7.pk,
            "due_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
        },
        follow=True,
    )
    assert "The due date cannot be in the past." in past.content.decode()
    outside = district.post(
        f"/console/cases/{submitted.pk}/tasks/",
        {"title": "Visit", "assignee": staff.local12.pk, "due_on": TODAY().isoformat()},
        follow=True,
    )
    assert "Select a valid choice" in outside.content.decode()
    assert not CaseTask.objects.exists()

    district.post(
        f"/console/cases/{submitted.pk}/tasks/",
        {"title": "Visit the family", "assignee": staff.local7.pk, "due_on": TODAY().isoformat()},
    )
    task = CaseTask.objects.get()
    assert (task.assignee, task.created_by, task.due_on) == (staff.local7, staff.district, TODAY())

    local = signed_in(staff.local7)
    worklist = local.get("/console/cases/").content.decode()
    assert 'id="my-tasks"' in worklist and "Visit the family" in worklist
    assert submitted.number in worklist
    # Other workers' lists do not show it.
    assert (
        "Visit the family" not in signed_in(staff.local12).get("/console/cases/").content.decode()
    )

    done = local.post(
        f"/console/cases/{submitted.pk}/tasks/{task.pk}/done/", {"next": "worklist"}, follow=True
    )
    assert done.redirect_chain == [("/console/cases/", 302)]
    assert 'id="my-tasks"' not in done.content.decode()
    task.refresh_from_db()
    assert task.done_by == staff.local7 and task.done_at is not None
    # Someone who neither holds nor set a task cannot tick it off.
    other = CaseTask.objects.create(
        case=submitted, title="Call", assignee=staff.local7, due_on=TODAY(), created_by=staff.local7
    )
    signed_in(staff.district).post(f"/console/cases/{submitted.pk}/tasks/{other.pk}/done/")
    other.refresh_from_db()
    assert other.done_at is None


def test_the_worklist_finds_cases_by_name_national_id_and_number_within_the_area(
    staff, signed_in, placement, tree
):
    def opened(last, first, unit, worker, national_id=""):
        person = ContactFactory(last_name=last, first_name=first, address_unit=unit)
        if national_id:
            IdentityFactory(contact=person, scheme="national_id", value=national_id)
        return case_create(
            beneficiary=person, service=placement, actor=worker, origin_channel="walk_in"
        )

    dorj = opened("Дорж", "Цэрэн", tree.k7, staff.local7, national_id="УБ47051821")
    bold = opened("Болд", "Сүх", tree.k7, staff.local7)
    elsewhere = opened("Дорж", "Гэрэл", tree.k12, staff.local12)
    local = signed_in(staff.local7)

    def found(**query) -> set[str]:
        page = local.get("/console/cases/", {"status": "draft", **query}).content.decode()
        return {c.number for c in (dorj, bold, elsewhere) if f'data-case="{c.number}"' in page}

    assert found() == {dorj.number, bold.number}
    assert found(q="дорж") == {dorj.number}  # any case, the other khoroo's Дорж stays out
    assert found(q="УБ47051821") == {dorj.number}
    assert found(q=bold.number) == {bold.number}
    assert found(q=str(int(bold.number.split("-")[1]))) == {bold.number}
    assert found(q=elsewhere.number) == set()
    other_service = Service.objects.exclude(pk=placement.pk).first()
    assert found(service=other_service.pk) == set()
    assert found(service=placement.pk, unit=tree.k7.pk) == {dorj.number, bold.number}
    Case.objects.filter(pk=bold.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert found(overdue="on") == {bold.number}
    page = local.get("/console/cases/", {"status": "draft", "q": "Zqw"}).content.decode()
    assert 'id="worklist-no-match"' in page
    # The tabs keep the search.
    assert "?status=returned&amp;q=Zqw" in page


def test_the_case_page_lists_the_messages_to_the_relative_who_asked(
    staff, signed_in, placement, citizen, django_capture_on_commit_callbacks
):
    daughter = ContactFactory(
        first_name="Оюун", last_name="Дорж", address_unit=citizen.address_unit
    )
    IdentityFactory(contact=daughter, value="+97699445566")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_create(
            beneficiary=citizen,
            service=placement,
            actor=staff.local7,
            origin_channel="walk_in",
            applicant=daughter,
            applicant_relationship="child",
        )
        case = case_apply_action(case=complete_draft(case), action="submit", actor=staff.local7)
    page = signed_in(staff.local7).get(f"/console/cases/{case.pk}/").content.decode()
    assert "No messages sent yet." not in page
    assert f'data-message-to="{daughter.pk}"' in page
    assert "Дорж Оюун</b> (asked on their behalf)" in page
    assert case.number in page.split('id="case-messages"')[1]


def test_a_new_staff_member_in_the_district_can_be_given_a_task(staff, signed_in, submitted, tree):
    colleague = UserFactory(
        username="district2", role="district_worker", unit=tree.skh, first_name="Номин"
    )
    form = signed_in(staff.district).get(f"/console/cases/{submitted.pk}/").content.decode()
    assert f'<option value="{colleague.pk}"' in form
    assert f'<option value="{staff.local12.pk}"' not in form
