"""Kazakh social assistance (seed 004): both routes, roles, guards, deadlines, the papers."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases import sla
from cases.models import Service, Status
from cases.notice import decision_notice_pdf, receipt_pdf
from cases.selectors import worklist_statuses
from cases.services import case_create
from cases.transitions import case_apply_action
from cases.workflows.assistance import per_capita_income
from crm.models import Household, HouseholdMember, Identity
from tests.factories import ContactFactory, IdentityFactory

from .factories import CaseDocumentFactory
from .kz import (
    AKIM_STATUSES,
    AKIM_STEPS,
    OFFICE_STATUSES,
    OFFICE_STEPS,
    draft,
    kz_office,
    step_payload,
    walk,
)

pytestmark = pytest.mark.django_db
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
ROLES = (
    "clerk",
    "head",
    "executor",
    "local_commission",
    "special_commission",
    "akim",
    "local_worker",
)


@pytest.fixture
def kz(db):
    return kz_office()


@pytest.fixture
def assistance(db):
    return Service.objects.get(code="kz-social-assistance")


@pytest.fixture
def family(kz):
    """A mother, her unemployed husband and two children: 180 000 KZT for four people."""
    mother = ContactFactory(
        first_name="Айгүл",
        last_name="Серікова",
        address_unit=kz.okrug,
        preferred_language="kk",
    )
    IdentityFactory(contact=mother, scheme=Identity.Scheme.NATIONAL_ID, value="850312400123")
    IdentityFactory(contact=mother, value="+77015550111")
    household = Household.objects.create(address_unit=kz.okrug)
    members = [
        (mother, "head", Decimal("120000")),
        (ContactFactory(address_unit=kz.okrug), "spouse", Decimal("60000")),
        (ContactFactory(address_unit=kz.okrug), "child", Decimal("0")),
        (ContactFactory(address_unit=kz.okrug), "child", Decimal("0")),
    ]
    for contact, relationship, income in members:
        HouseholdMember.objects.create(
            household=household, contact=contact, relationship=relationship, monthly_income=income
        )
    return mother


@pytest.mark.parametrize(
    ("route", "index"),
    [("office", i) for i in range(len(OFFICE_STEPS))]
    + [("akim", i) for i in range(len(AKIM_STEPS))],
)
def test_every_step_is_taken_by_its_role_only(api, kz, assistance, family, route, index):
    steps = OFFICE_STEPS if route == "office" else AKIM_STEPS
    first = getattr(kz, steps[0][1])
    case = walk(kz, draft(kz, assistance, family, first), steps[:index])
    action, who, payload = steps[index]
    before = case.status

    # Both the clerk and the akim may register a draft: that choice sets the route.
    legitimate = {"clerk", "akim"} if action == "register" else {who}
    for other in ROLES:
        if other in legitimate:
            continue
        answer = api.as_user(getattr(kz, other)).post(
            f"/api/v1/cases/{case.pk}/actions/{action}/", step_payload(kz, payload), format="json"
        )
        assert answer.status_code == 403, (other, action, answer.json())
    case.refresh_from_db()
    assert case.status == before

    answer = api.as_user(getattr(kz, who)).post(
        f"/api/v1/cases/{case.pk}/actions/{action}/", step_payload(kz, payload), format="json"
    )
    assert answer.status_code == 200, answer.json()
    expected = (OFFICE_STATUSES if route == "office" else AKIM_STATUSES)[index]
    assert answer.json()["status"] == expected
    assert answer.json()["route"] == route


def test_the_office_route_end_to_end_with_its_history(api, kz, assistance, family):
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS)

    assert case.status == Status.ISSUED
    assert case.route == "office"
    assert case.executor == kz.executor
    detail = api.as_user(kz.head).get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["decision"] == "assigned" and detail["assistance_amount"] == "45000.00"
    assert detail["per_capita_income"] == "45000.00" and detail["signed_by"] == kz.head.username
    assert detail["available_actions"] == []
    assert list(case.events.values_list("to_status", flat=True)) == ["draft", *OFFICE_STATUSES]


def test_the_akim_route_end_to_end_prints_the_tear_off_receipt(kz, assistance, family):
    case = draft(kz, assistance, family, kz.akim)
    case = case_apply_action(case=case, action="register", actor=kz.akim)

    receipt = _pdf_text(receipt_pdf(case))
    assert receipt.count(case.number) == 2  # on the counterfoil and on the citizen's slip
    assert "Өтініштің үзбелі талоны" in receipt  # the citizen speaks Kazakh
    assert "Серікова Айгүл" in receipt or "Айгүл Серікова" in receipt
    assert kz.okrug.name in receipt
    assert "Өтініш" in receipt and "Құжаттар қабылданды" in receipt

    case = walk(kz, case, AKIM_STEPS[1:])
    assert case.status == Status.ISSUED
    assert list(case.events.values_list("to_status", flat=True)) == ["draft", *AKIM_STATUSES]
    assert case.route == "akim"


def test_the_receipt_exists_only_on_the_akim_route(kz, assistance, family):
    from cases.notice import NoticeNotReady

    case = case_apply_action(
        case=draft(kz, assistance, family, kz.clerk), action="register", actor=kz.clerk
    )
    with pytest.raises(NoticeNotReady):
        receipt_pdf(case)


def test_the_akim_route_refuses_the_office_steps_and_back(api, kz, assistance, family):
    via_akim = walk(kz, draft(kz, assistance, family, kz.akim), AKIM_STEPS[:1])
    # The head appoints executors at the office only; an akim's case goes to the commission.
    answer = api.as_user(kz.head).post(
        f"/api/v1/cases/{via_akim.pk}/actions/assign/", {"executor": kz.executor.pk}, format="json"
    )
    assert answer.status_code == 409
    assert "route" in answer.json()["detail"]
    at_office = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:1])
    answer = api.as_user(kz.akim).post(
        f"/api/v1/cases/{at_office.pk}/actions/send_to_survey/", format="json"
    )
    assert answer.status_code == 403


def test_an_action_out_of_turn_is_a_conflict(api, kz, assistance, family):
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:1])

    answer = api.as_user(kz.head).post(f"/api/v1/cases/{case.pk}/actions/sign/", format="json")

    assert answer.status_code == 409
    assert "prepared" in answer.json()["detail"]


def _guard(api, user, case, action, payload=None):
    answer = api.as_user(user).post(
        f"/api/v1/cases/{case.pk}/actions/{action}/", payload or {}, format="json"
    )
    assert answer.status_code == 400, answer.json()
    case.refresh_from_db()
    return answer.json()


def _codes(body) -> set[str]:
    return {d["code"] for d in body["errors"]}


def test_each_guard_answers_400_saying_what_is_missing(api, kz, assistance, family):
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:1])
    assert _codes(_guard(api, kz.head, case, "assign")) == {"executor_required"}
    body = _guard(api, kz.head, case, "assign", {"executor": kz.clerk.pk})
    assert _codes(body) == {"executor_unknown"}
    case = walk(kz, case, OFFICE_STEPS[1:2])

    case.documents.filter(required_document__code="family-income").delete()
    body = _guard(api, kz.executor, case, "send_to_survey")
    assert _codes(body) == {"missing_document"}
    assert body["errors"][0]["document"] == "family-income"
    CaseDocumentFactory(case=case, required_document=assistance.documents.get(code="family-income"))
    case = walk(kz, case, OFFICE_STEPS[2:3])

    body = _guard(api, kz.local_commission, case, "record_survey", {"act_number": " "})
    assert _codes(body) == {"survey_conclusion_missing", "survey_act_missing"}
    case = walk(kz, case, OFFICE_STEPS[3:4])

    HouseholdMember.objects.filter(contact=family).delete()
    body = _guard(api, kz.executor, case, "send_to_review")
    assert _codes(body) == {"household_missing"}
    household = Household.objects.create(address_unit=kz.okrug)
    HouseholdMember.objects.create(household=household, contact=family, relationship="head")
    case = walk(kz, case, OFFICE_STEPS[4:5])

    assert _codes(_guard(api, kz.special_commission, case, "decide")) == {"decision_missing"}
    body = _guard(api, kz.special_commission, case, "decide", {"need": True})
    assert _codes(body) == {"amount_missing"}
    assert "KZT" in body["errors"][0]["message"]
    body = _guard(api, kz.special_commission, case, "decide", {"need": True, "amount": "0"})
    assert _codes(body) == {"amount_missing"}

    body = _guard(api, kz.executor, case, "request_documents", {"reason_code": "stolen"})
    assert _codes(body) == {"documents_reason_code_required", "reason_required"}
    assert _codes(_guard(api, kz.head, case, "cancel")) == {"reason_required"}
    for who, action in ((kz.local_worker, "request_documents"), (kz.clerk, "cancel")):
        answer = api.as_user(who).post(
            f"/api/v1/cases/{case.pk}/actions/{action}/", {"reason": "x"}, format="json"
        )
        assert answer.status_code == 403
    assert case.status == Status.IN_REVIEW
    assert case.events.count() == 6  # create + five steps; no failed guard wrote anything


def test_guard_messages_speak_the_workers_language_and_never_of_care_homes(
    api, kz, assistance, family
):
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:5])
    client = api.as_user(kz.special_commission)
    messages = {}
    for language in ("kk", "ru", "mn", "en"):
        answer = client.post(
            f"/api/v1/cases/{case.pk}/actions/decide/",
            {"need": True},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        messages[language] = answer.json()["errors"][0]["message"]
    assert len(set(messages.values())) == 4, messages
    assert "amount" in messages["en"]
    for message in messages.values():
        for word in ("care home", "bed", "асрамж", "интернат", "орын"):
            assert word not in message.lower()


def test_per_capita_income_counts_members_without_income(kz, assistance, family):
    assert per_capita_income([Decimal("120000"), Decimal("60000"), Decimal(0), Decimal(0)]) == (
        Decimal("45000.00")
    )
    assert per_capita_income([Decimal("100000"), Decimal(0), Decimal(0)]) == Decimal("33333.33")

    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:5])

    assert case.household_size == 4
    assert case.household_income == Decimal("180000")
    assert case.per_capita_income == Decimal("45000.00")
    event = case.events.get(action="send_to_review")
    assert event.payload["per_capita_income"] == "45000.00"


def _at(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_deadlines_in_minutes_and_hours_of_office_time(monkeypatch, kz, assistance, family):
    wednesday = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ALMATY)
    _at(monkeypatch, wednesday)
    case = draft(kz, assistance, family, kz.clerk)
    assert case.due_at == wednesday + dt.timedelta(minutes=30)  # register within 30 min

    _at(monkeypatch, wednesday + dt.timedelta(minutes=10))
    case = case_apply_action(case=case, action="register", actor=kz.clerk)
    assert case.due_at == dt.datetime(2026, 12, 2, 11, 10, tzinfo=ALMATY)  # head: 1 hour

    # An hour that runs into the lunch break (13:00-14:30 in Kazakhstan) resumes after it.
    _at(monkeypatch, dt.datetime(2026, 12, 2, 12, 30, tzinfo=ALMATY))
    case = walk(kz, case, OFFICE_STEPS[1:7])  # ... prepare: the head signs within 1 hour
    assert case.status == Status.PREPARED
    assert case.due_at == dt.datetime(2026, 12, 2, 15, 0, tzinfo=ALMATY)


def test_deadlines_in_working_days_skip_the_weekend(monkeypatch, kz, assistance, family):
    friday = dt.datetime(2026, 12, 4, 11, 0, tzinfo=ALMATY)
    _at(monkeypatch, friday)
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:3])

    # The local commission has 2 working days from Friday: Monday and Tuesday.
    assert case.status == Status.IN_SURVEY
    assert case.due_date == dt.date(2026, 12, 8)
    assert case.due_at == dt.datetime(2026, 12, 8, 18, 30, tzinfo=ALMATY)


def test_the_akim_route_gives_the_executor_one_hour_to_prepare(monkeypatch, kz, assistance, family):
    _at(monkeypatch, dt.datetime(2026, 12, 2, 9, 0, tzinfo=ALMATY))
    office = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:6])
    via_akim = walk(kz, draft(kz, assistance, family, kz.akim), AKIM_STEPS[:6])

    assert office.due_date == dt.date(2026, 12, 3)  # 1 working day at the office
    assert via_akim.due_at == dt.datetime(2026, 12, 2, 10, 0, tzinfo=ALMATY)


def test_missing_papers_stretch_the_service_to_20_working_days(monkeypatch, kz, assistance, family):
    registered_on = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ALMATY)
    _at(monkeypatch, registered_on)
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:3])
    assert case.status == Status.IN_SURVEY

    _at(monkeypatch, dt.datetime(2026, 12, 3, 15, 0, tzinfo=ALMATY))
    case = case_apply_action(
        case=case,
        action="request_documents",
        actor=kz.local_commission,
        payload={"reason_code": "lost", "reason": "Табыс туралы анықтама жоғалған"},
    )

    expected = sla.add_working_days(dt.date(2026, 12, 2), 20, "KZ")
    assert case.status == Status.SUSPENDED
    assert case.extended_until == expected == case.due_date
    event = case.events.get(action="request_documents")
    assert event.reason == "Табыс туралы анықтама жоғалған"
    assert event.payload["documents"] == "lost"

    _at(monkeypatch, dt.datetime(2026, 12, 7, 10, 0, tzinfo=ALMATY))  # Monday
    case = case_apply_action(case=case, action="resume", actor=kz.executor)
    assert case.status == Status.IN_SURVEY  # back at the step that stopped
    assert case.due_date == dt.date(2026, 12, 9)  # the survey's 2 working days again
    assert case.extended_until == expected


def _pdf_text(data: bytes) -> str:
    """The PDF's words, one space between them (wrapped lines joined)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_decision_notice_in_the_citizens_language(monkeypatch, kz, assistance, family):
    kz.head.first_name, kz.head.last_name = "Ерлан", "Қасымов"
    kz.head.save()
    _at(monkeypatch, dt.datetime(2026, 12, 2, 9, 0, tzinfo=ALMATY))
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:8])

    notice = _pdf_text(decision_notice_pdf(case))

    assert "Әлеуметтік көмек тағайындау туралы хабарлама" in notice
    assert "45 000 KZT" in notice
    assert "мөлшерінде әлеуметтік көмек тағайындалды" in notice
    assert case.number in notice and "850312400123" in notice
    assert "Ерлан Қасымов" in notice
    assert "02.12.2026" in notice  # the day the head signed
    assert " ".join(assistance.legal_basis.split()) in notice
    for word in ("асрамж", "интернат", "care home", "төсек", "bed"):
        assert word not in notice.lower()


def test_a_refusal_notice_in_russian_has_no_amount(kz, assistance, family):
    family.preferred_language = "ru"
    family.save()
    steps = [
        s if s[0] != "decide" else ("decide", "special_commission", {"need": False})
        for s in OFFICE_STEPS[:8]
    ]
    case = walk(kz, draft(kz, assistance, family, kz.clerk), steps)

    notice = _pdf_text(decision_notice_pdf(case))

    assert case.decision == "refused" and case.assistance_amount is None
    assert "Уведомление об отказе в назначении социальной помощи" in notice
    assert "KZT" not in notice.split("Среднедушевой")[0]


def test_the_notice_is_printable_from_the_api_once_signed(api, kz, assistance, family):
    case = walk(kz, draft(kz, assistance, family, kz.clerk), OFFICE_STEPS[:7])
    client = api.as_user(kz.clerk)
    assert client.get(f"/api/v1/cases/{case.pk}/notice/").status_code == 409

    case = walk(kz, case, OFFICE_STEPS[7:8])
    answer = client.get(f"/api/v1/cases/{case.pk}/notice/")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF")
    other = api.as_user(kz.other_clerk).get(f"/api/v1/cases/{case.pk}/notice/")
    assert other.status_code == 404


def test_each_role_works_from_lists_declared_by_the_workflow(kz):
    assert worklist_statuses(user=kz.head) == ["registered", "prepared", "suspended", "cancelled"]
    assert worklist_statuses(user=kz.local_commission) == ["in_survey", "surveyed"]
    assert worklist_statuses(user=kz.special_commission) == ["in_review", "decided"]
    assert "sent_to_akim" in worklist_statuses(user=kz.akim)


def test_step_roles_see_only_social_assistance_cases_of_their_unit(kz, assistance, family):
    from cases.selectors import cases_visible_to

    ours = draft(kz, assistance, family, kz.clerk)
    placement = case_create(
        beneficiary=family,
        service=Service.objects.get(code="kz-care-home-placement"),
        actor=kz.local_worker,
        origin_channel="walk_in",
    )

    assert list(cases_visible_to(user=kz.head)) == [ours]
    assert list(cases_visible_to(user=kz.other_clerk)) == []
    assert set(cases_visible_to(user=kz.local_worker)) == {ours, placement}
