"""Allowance payments (seed 001): the monthly entitlement from approval to the stop, and the
monthly payment list per district (JSON, CSV, XLSX) with its totals."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from cases import payments
from cases.models import Service
from cases.organisations import AllowanceEntitlement
from cases.workflows.base import TransitionContext
from tests.factories import ContactFactory

from .conftest import attach_required

ALLOWANCE = "caregiver-allowance-13-2-3"


def _approved(api, staff, new_case, beneficiary=None):
    case = new_case(beneficiary, service=Service.objects.get(code=ALLOWANCE))
    attach_required(case)
    api.as_user(staff.local7).post(f"/api/v1/cases/{case.pk}/actions/submit/")
    approved = api.as_user(staff.district).post(f"/api/v1/cases/{case.pk}/actions/approve/")
    assert approved.status_code == 200, approved.json()
    return case


def test_approval_opens_70000_a_month_and_the_stop_ends_it(api, staff, new_case):
    case = _approved(api, staff, new_case)
    this_month = timezone.localdate().replace(day=1)
    entitlement = AllowanceEntitlement.objects.get(case=case)
    assert (entitlement.monthly_amount, entitlement.currency) == (Decimal("70000"), "MNT")
    assert entitlement.first_month == this_month
    district = api.as_user(staff.district)
    paid = district.get(f"/api/v1/cases/{case.pk}/payments/").json()
    assert paid["months"] == [f"{this_month:%Y-%m}"]
    assert paid["last_month"] is None
    district.post(
        f"/api/v1/cases/{case.pk}/actions/discharge/", {"reason": "Moved away"}, format="json"
    )
    entitlement.refresh_from_db()
    assert entitlement.last_month == this_month
    assert entitlement.stopped_by == staff.district
    # Another district's worker cannot read it.
    other = api.as_user(staff.district_sbd).get(f"/api/v1/cases/{case.pk}/payments/")
    assert other.status_code == 404


def test_months_across_a_year_end_and_a_stop(api, staff, new_case):
    case = _approved(api, staff, new_case)
    entitlement = AllowanceEntitlement.objects.get(case=case)
    entitlement.first_month = dt.date(2026, 11, 1)
    entitlement.save()
    months = payments.entitlement_months(entitlement, until=dt.date(2027, 2, 20))
    assert [f"{m:%Y-%m}" for m in months] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    ctx = TransitionContext(
        case=case,
        actor=staff.district,
        payload={},
        today=dt.date(2027, 1, 15),
        from_status="in_service",
    )
    payments.stop_entitlement(ctx)
    entitlement.refresh_from_db()
    assert entitlement.last_month == dt.date(2027, 1, 1)
    # The stop month is paid, none after it, however late the question.
    assert payments.entitlement_months(entitlement, until=dt.date(2027, 6, 1)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]
    assert ctx.event_payload["last_month"] == "2027-01-01"


def test_payment_list_totals_csv_and_xlsx(api, staff, new_case, tree):
    paid = [_approved(api, staff, new_case) for _ in range(3)]
    stopped_before = _approved(api, staff, new_case)
    later = _approved(api, staff, new_case)
    elsewhere = new_case(
        ContactFactory(address_unit=tree.s1), service=Service.objects.get(code=ALLOWANCE)
    )
    AllowanceEntitlement.objects.filter(case__in=paid).update(first_month=dt.date(2026, 12, 1))
    AllowanceEntitlement.objects.filter(case=paid[2]).update(monthly_amount=Decimal("65000"))
    AllowanceEntitlement.objects.filter(case=stopped_before).update(
        first_month=dt.date(2026, 10, 1), last_month=dt.date(2026, 12, 1)
    )
    AllowanceEntitlement.objects.filter(case=later).update(first_month=dt.date(2027, 2, 1))
    AllowanceEntitlement.objects.create(
        case=elsewhere,
        monthly_amount=Decimal("70000"),
        currency="MNT",
        first_month=dt.date(2026, 1, 1),
    )
    client = api.as_user(staff.district)
    listed = client.get("/api/v1/payments/", {"month": "2027-01"}).json()
    assert listed["count"] == 3
    assert sorted(r["case_number"] for r in listed["rows"]) == sorted(c.number for c in paid)
    assert listed["totals"] == {"MNT": "205000.00"}

    csv_text = client.get("/api/v1/payments/", {"month": "2027-01", "export": "csv"})
    assert csv_text["Content-Type"] == "text/csv"
    lines = csv_text.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("case,name,national_id")
    assert lines[-1] == "TOTAL,3 people,,,,,205000.00,MNT"

    xlsx = client.get("/api/v1/payments/", {"month": "2027-01", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    amounts = [row[6] for row in values[2:-1]]
    assert sum(Decimal(str(a)) for a in amounts) == Decimal("205000")
    assert values[-1][0] == "TOTAL" and Decimal(str(values[-1][6])) == Decimal("205000")

    # The other district's list, read by its own worker; and refused to this one.
    own = api.as_user(staff.district_sbd).get("/api/v1/payments/", {"month": "2027-01"}).json()
    assert [r["case_number"] for r in own["rows"]] == [elsewhere.number]
    client = api.as_user(staff.district)  # one client: sign the first worker in again
    refused = client.get("/api/v1/payments/", {"month": "2027-01", "district": tree.sbd.pk})
    assert refused.status_code == 404
    bad = client.get("/api/v1/payments/", {"month": "January"})
    assert bad.status_code == 400 and "2026-03" in bad.json()["detail"]
