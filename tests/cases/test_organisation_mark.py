"""The organisation mark (seed 003): the 51% / 35% rule, the registry checks in the
background, error and resend, copy, editing, and the expiry job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from cases import marks
from cases.models import Case, CaseEvent, Status
from cases.organisations import MarkApplication, MarkEmployee
from cases.workflows.mark_rules import compute

from .kz import kz_office
from .marks import FAILING, FLAKY_REGISTRY, a_bin, iins, register

D = Decimal


def rows(disabled: int, healthy: int, *, pay_disabled="100", pay_other="100", kind="other"):
    return [(True, D(pay_disabled), kind)] * disabled + [(False, D(pay_other), "")] * healthy


# --- the rule at its boundaries ---------------------------------------------------------


def test_headcount_51_percent_is_enough_50_9_is_not():
    assert compute(rows(51, 49), specialised=False).by_headcount is True
    # 50.9%: the payroll clause fails too (everyone is paid the same).
    below = compute(rows(509, 491), specialised=False)
    assert below.headcount_percent == "50.90"
    assert below.met is False


def test_payroll_only_51_percent():
    # 1 of 3 employees has a disability (33%) but gets 51% of the payroll.
    met = compute(rows(1, 2, pay_disabled="5100", pay_other="2450"), specialised=False)
    assert (met.by_headcount, met.by_payroll, met.met) == (False, True, True)
    assert met.payroll_percent == "51.00"
    short = compute(rows(1, 2, pay_disabled="5090", pay_other="2455"), specialised=False)
    assert short.payroll_percent == "50.90"
    assert short.met is False


def test_specialised_organisation_needs_35_percent_of_the_payroll():
    # 35% exactly: disabled pay 3500 of 10000.
    data = rows(1, 2, pay_disabled="3500", pay_other="3250", kind="hearing")
    assert compute(data, specialised=True).met is True
    assert compute(data, specialised=True).payroll_threshold == 35
    assert compute(data, specialised=False).met is False
    below = rows(1, 2, pay_disabled="3490", pay_other="3255", kind="vision")
    assert compute(below, specialised=True).met is False
    # Declared specialised without anyone with hearing, speech or vision loss: 51% applies.
    other = rows(1, 2, pay_disabled="3500", pay_other="3250", kind="other")
    assert compute(other, specialised=True).payroll_threshold == 51


# --- the API and the background processing ----------------------------------------------


@pytest.fixture
def kz(db):
    return kz_office()


@pytest.fixture
def organisation(kz):
    return marks.organisation_create(
        actor=kz.clerk,
        name="«Үміт» ЖШС",
        bin=a_bin(),
        unit=kz.raion,
        contact_person="Нұрлан Серікұлы",
        phone="+77011234567",
    )


def employee_rows(iin_list, disabled: int, pay="150000"):
    return [
        {"iin": iin, "has_disability": n < disabled, "payroll": pay}
        for n, iin in enumerate(iin_list)
    ]


def test_organisation_bin_check_digit(api, kz):
    client = api.as_user(kz.clerk)
    good = a_bin()
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    body = {
        "name": "Жарық",
        "unit": kz.raion.pk,
        "contact_person": "Айгүл",
        "phone": "+77011234568",
    }
    refused = client.post("/api/v1/organisations/", {**body, "bin": bad}, format="json")
    assert refused.status_code == 400
    assert "check digit" in refused.json()["detail"]
    made = client.post("/api/v1/organisations/", {**body, "bin": good}, format="json")
    assert made.status_code == 201, made.json()
    assert client.get("/api/v1/organisations/").json()["results"][0]["bin"] == good


def test_101_employees_refused_and_a_bad_iin_named(api, kz, organisation):
    client = api.as_user(kz.clerk)
    url = f"/api/v1/organisations/{organisation.pk}/applications/"
    too_many = client.post(url, {"employees": employee_rows(iins(101), 60)}, format="json")
    assert too_many.status_code == 400
    assert "At most 100" in too_many.json()["detail"]
    good = iins(2)
    typo = good[1][:11] + str((int(good[1][11]) + 1) % 10)
    bad = client.post(url, {"employees": employee_rows([good[0], typo], 1)}, format="json")
    assert bad.status_code == 400
    assert "row 2" in bad.json()["detail"] and "check digit" in bad.json()["detail"]
    assert not Case.objects.filter(organisation=organisation).exists()


@override_settings(CRM_REGISTRY_BACKEND=FLAKY_REGISTRY)
def test_100_iins_with_registry_failures_then_resend(
    api, kz, organisation, django_capture_on_commit_callbacks
):
    people = iins(100)
    register(people)
    FAILING.clear()
    FAILING.update(people[:3])
    client = api.as_user(kz.clerk)
    made = client.post(
        f"/api/v1/organisations/{organisation.pk}/applications/",
        {"employees": employee_rows(people, 60)},
        format="json",
    )
    assert made.status_code == 201, made.json()
    case_id = made.json()["case"]
    assert made.json()["status"] == Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/api/v1/cases/{case_id}/actions/send/")
    assert sent.status_code == 200
    detail = client.get(f"/api/v1/cases/{case_id}/mark/").json()
    assert detail["status"] == Status.ERROR
    by_iin = {e["iin"]: e for e in detail["employees"]}
    assert [by_iin[i]["lookup"] for i in people[:3]] == ["failed"] * 3
    assert by_iin[people[3]]["lookup"] == "found"
    assert by_iin[people[3]]["full_name"].startswith("Сәрсенова-3")
    assert "resend" in client.get(f"/api/v1/cases/{case_id}/").json()["available_actions"]

    # The registry is back: only the failed rows are asked again; 60% have a disability.
    FAILING.clear()
    checked_before = MarkEmployee.objects.get(iin=people[50]).checked_at
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/cases/{case_id}/actions/resend/").status_code == 200
    detail = client.get(f"/api/v1/cases/{case_id}/mark/").json()
    assert detail["status"] == Status.APPROVED
    assert detail["computation"]["headcount_percent"] == "60.00"
    assert detail["computation"]["met"] is True
    assert "60 of 100 employees" in detail["explanation"]
    assert MarkEmployee.objects.get(iin=people[50]).checked_at == checked_before
    approved_at = MarkApplication.objects.get(case_id=case_id).approved_at
    assert detail["expires_at"] is not None
    assert MarkApplication.objects.get(case_id=case_id).expires_at - approved_at == dt.timedelta(
        days=180
    )
    actions = list(Case.objects.get(pk=case_id).events.values_list("action", flat=True))
    assert actions == ["create", "send", "fail", "resend", "approve"]


def test_rule_not_met_rejects_then_edit_and_send_again(
    api, kz, organisation, django_capture_on_commit_callbacks
):
    people = iins(4)
    register(people)
    client = api.as_user(kz.clerk)
    made = client.post(
        f"/api/v1/organisations/{organisation.pk}/applications/",
        {"employees": employee_rows(people, 2)},  # 50%: short of 51%
        format="json",
    ).json()
    case_id = made["case"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/cases/{case_id}/actions/send/")
    assert client.get(f"/api/v1/cases/{case_id}/mark/").json()["status"] == Status.REJECTED
    # Sent applications cannot be edited; rejected ones can.
    edited = client.put(
        f"/api/v1/cases/{case_id}/mark/", {"employees": employee_rows(people, 3)}, format="json"
    )
    assert edited.status_code == 200, edited.json()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/cases/{case_id}/actions/send/")
    assert client.get(f"/api/v1/cases/{case_id}/mark/").json()["status"] == Status.APPROVED
    locked = client.put(f"/api/v1/cases/{case_id}/mark/", {"specialised": True}, format="json")
    assert locked.status_code == 409


def test_only_the_processing_decides(api, kz, organisation):
    case = marks.mark_application_create(
        organisation=organisation, actor=kz.clerk, employees=employee_rows(iins(2), 2)
    )
    client = api.as_user(kz.clerk)
    assert client.post(f"/api/v1/cases/{case.pk}/actions/send/").status_code == 200
    assert client.post(f"/api/v1/cases/{case.pk}/actions/approve/").status_code == 403
    # A registry answer is still missing: the processing's approve is refused too.
    with pytest.raises(Exception, match="registry"):
        from cases.transitions import case_apply_action

        case_apply_action(case=case, action="approve", actor=marks.system_actor())


def _approved(kz, organisation, people, *, days_ago: int = 0) -> Case:
    register(people)
    case = marks.mark_application_create(
        organisation=organisation,
        actor=kz.clerk,
        employees=employee_rows(people, len(people)),
        specialised=True,
    )
    from cases.transitions import case_apply_action

    case_apply_action(case=case, action="send", actor=kz.clerk)
    assert marks.mark_registry_check(case_id=case.pk) == "approve"
    if days_ago:
        MarkApplication.objects.filter(case=case).update(
            approved_at=timezone.now() - dt.timedelta(days=days_ago),
            expires_at=timezone.now() - dt.timedelta(days=days_ago - 180),
        )
    return case


def test_copy_starts_from_the_last_approved_application(api, kz, organisation):
    older = _approved(kz, organisation, iins(2), days_ago=100)
    newer = _approved(kz, organisation, iins(3, start=50), days_ago=10)
    client = api.as_user(kz.clerk)
    response = client.post(f"/api/v1/cases/{older.pk}/actions/copy/")
    assert response.status_code == 201
    copy = response.json()
    assert copy["status"] == Status.DRAFT and copy["id"] not in (older.pk, newer.pk)
    mark = client.get(f"/api/v1/cases/{copy['id']}/mark/").json()
    assert mark["copied_from"] == newer.pk
    assert mark["specialised"] is True
    assert sorted(e["iin"] for e in mark["employees"]) == sorted(
        MarkEmployee.objects.filter(application__case=newer).values_list("iin", flat=True)
    )
    assert {e["lookup"] for e in mark["employees"]} == {"pending"}
    # The copy is a draft: employees can be added or removed.
    changed = client.put(
        f"/api/v1/cases/{copy['id']}/mark/",
        {"employees": employee_rows(iins(1), 1)},
        format="json",
    )
    assert len(changed.json()["employees"]) == 1


def test_copy_without_an_approved_application_is_a_conflict(api, kz, organisation):
    draft = marks.mark_application_create(organisation=organisation, actor=kz.clerk)
    response = api.as_user(kz.clerk).post(f"/api/v1/cases/{draft.pk}/actions/copy/")
    assert response.status_code == 409


def test_expiry_job_run_twice_expires_once(kz, organisation):
    old = _approved(kz, organisation, iins(2), days_ago=181)
    fresh = _approved(kz, organisation, iins(2, start=40), days_ago=179)
    assert marks.marks_expire() == 1
    assert marks.marks_expire() == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Status.EXPIRED, Status.APPROVED)
    assert CaseEvent.objects.filter(case=old, action="expire").count() == 1


def test_mark_endpoints_in_the_schema(api, staff):
    schema = api.as_user(staff.admin).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/applications/",
        "/api/v1/cases/{id}/mark/",
        "/api/v1/payments/",
        "/api/v1/cases/{id}/payments/",
    ):
        assert path in schema["paths"], path


def test_admin_lists_organisations_applications_and_entitlements(client, kz, staff, organisation):
    case = marks.mark_application_create(
        organisation=organisation, actor=kz.clerk, employees=employee_rows(iins(2), 1)
    )
    client.force_login(staff.admin)
    for path in ("organisation", "markapplication", "allowanceentitlement"):
        assert client.get(f"/admin/cases/{path}/").status_code == 200, path
    page = client.get(f"/admin/cases/markapplication/{case.mark.pk}/change/")
    assert page.status_code == 200 and iins(1)[0] in page.content.decode()


# --- the public action surface is the contract's ----------------------------------------


@override_settings(CRM_REGISTRY_BACKEND=FLAKY_REGISTRY)
def test_internal_steps_are_neither_offered_nor_accepted(
    api, kz, organisation, django_capture_on_commit_callbacks
):
    """The registry failure and the expiry are the system's steps, not actions anyone asks
    for: an admin is never offered them, the API refuses them like an unknown action, and the
    OpenAPI enum lists the contract's names only."""
    people = iins(2)
    register(people)
    FAILING.clear()
    FAILING.add(people[0])
    clerk = api.as_user(kz.clerk)
    case_id = clerk.post(
        f"/api/v1/organisations/{organisation.pk}/applications/",
        {"employees": employee_rows(people, 2)},
        format="json",
    ).json()["case"]
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(f"/api/v1/cases/{case_id}/actions/send/")
    FAILING.clear()
    assert Case.objects.get(pk=case_id).status == Status.ERROR

    admin = api.as_user(marks.system_actor())
    detail = admin.get(f"/api/v1/cases/{case_id}/").json()
    assert detail["available_actions"] == ["resend"]
    # The history still says what happened.
    assert [e["action"] for e in detail["events"]][-1] == "fail"
    refused = admin.post(f"/api/v1/cases/{case_id}/actions/fail/")
    assert refused.status_code == 404
    assert "fail" not in refused.json()["detail"].split("possible:")[1]

    with django_capture_on_commit_callbacks(execute=True):
        assert clerk.post(f"/api/v1/cases/{case_id}/actions/resend/").status_code == 200
    assert Case.objects.get(pk=case_id).status == Status.APPROVED
    MarkApplication.objects.filter(case_id=case_id).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert "expire" not in admin.get(f"/api/v1/cases/{case_id}/").json()["available_actions"]
    assert admin.post(f"/api/v1/cases/{case_id}/actions/expire/").status_code == 404
    assert Case.objects.get(pk=case_id).status == Status.APPROVED
    # The job, which takes the step as the system, still expires it.
    assert marks.marks_expire() == 1
    assert Case.objects.get(pk=case_id).status == Status.EXPIRED

    schema = admin.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/cases/{id}/actions/{action_name}/"]["post"]
    enum = next(p for p in operation["parameters"] if p["name"] == "action_name")["schema"]["enum"]
    assert {"send", "approve", "reject", "resend", "copy"} <= set(enum)
    assert not {"fail", "expire"} & set(enum)


@pytest.mark.parametrize(
    ("disabled", "disabled_pay", "other_pay", "kind", "specialised", "decided"),
    [
        (51, "100000", "100000", "other", False, Status.APPROVED),  # 51% of the staff
        (50, "100000", "100000", "other", False, Status.REJECTED),  # 50%: short
        (20, "255000", "61250", "other", False, Status.APPROVED),  # payroll only: 51.00%
        (20, "254000", "61500", "other", False, Status.REJECTED),  # payroll 50.80%
        (20, "140000", "65000", "hearing", True, Status.APPROVED),  # specialised: 35.00%
        (20, "140000", "65000", "hearing", False, Status.REJECTED),  # not specialised: 51%
    ],
)
def test_the_rule_decides_100_employee_applications_at_its_boundaries(
    api, kz, organisation, django_capture_on_commit_callbacks, disabled, disabled_pay, other_pay,
    kind, specialised, decided,
):  # fmt: skip
    """As the office sends them: 100 employees, the registry answers, the rule decides, and
    the stored computation says why."""
    people = iins(100)
    register(people)
    rows = [
        {
            "iin": iin,
            "disability": kind if n < disabled else "",
            "payroll": disabled_pay if n < disabled else other_pay,
        }
        for n, iin in enumerate(people)
    ]
    client = api.as_user(kz.clerk)
    case_id = client.post(
        f"/api/v1/organisations/{organisation.pk}/applications/",
        {"employees": rows, "specialised": specialised},
        format="json",
    ).json()["case"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/cases/{case_id}/actions/send/").status_code == 200
    mark = client.get(f"/api/v1/cases/{case_id}/mark/").json()
    assert mark["status"] == decided, mark["explanation"]
    computation = mark["computation"]
    assert computation["employees"] == 100 and computation["disabled"] == disabled
    assert computation["met"] is (decided == Status.APPROVED)
    assert computation["payroll_threshold"] == (35 if specialised else 51)
