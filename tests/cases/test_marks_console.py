"""The office's console pages: organisations with their mark applications (employees,
registry answers, the computation) and the monthly allowance payment list."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from cases.models import Case, Service, Status
from cases.organisations import AllowanceEntitlement, Organisation

from .conftest import attach_required
from .kz import kz_office
from .marks import a_bin, iins, register


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_clerk_registers_an_organisation_fills_and_sends_an_application(
    db, django_capture_on_commit_callbacks
):
    kz = kz_office()
    client = signed_in(kz.clerk)
    assert "Organisations" in client.get("/console/cases/").content.decode()
    bad = client.post(
        "/console/organisations/",
        {"name": "Жарық", "bin": "123", "unit": kz.raion.pk, "contact_person": "Айгүл"},
    )
    assert bad.status_code == 400 and "12 digits" in bad.content.decode()
    made = client.post(
        "/console/organisations/",
        {
            "name": "Жарық",
            "bin": a_bin(),
            "unit": kz.raion.pk,
            "contact_person": "Айгүл",
            "phone": "+77011230000",
        },
    )
    organisation = Organisation.objects.get(name="Жарық")
    assert made.status_code == 302 and made["Location"].endswith(f"/{organisation.pk}/")
    people = iins(3)
    register(people)
    lines = f"{people[0]}; hearing; 200000\n{people[1]}; vision; 200000\n{people[2]}; ; 150000"
    saved = client.post(f"/console/organisations/{organisation.pk}/", {"employees": lines})
    assert saved.status_code == 302
    case = Case.objects.get(organisation=organisation)
    page = client.get(f"/console/organisations/{organisation.pk}/").content.decode()
    assert "2 of 3 employees have a disability (66.67%" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/console/cases/{case.pk}/actions/send/")
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    page = client.get(f"/console/organisations/{organisation.pk}/").content.decode()
    assert "Сәрсенова-0" in page and "Mark valid until" in page
    client.post(f"/console/organisations/{organisation.pk}/copy/")
    assert Case.objects.filter(organisation=organisation, status=Status.DRAFT).count() == 1


def test_district_worker_reads_and_downloads_the_payment_list(staff, new_case):
    service = Service.objects.get(code="caregiver-allowance-13-2-1")
    case = new_case(service=service)
    attach_required(case)
    AllowanceEntitlement.objects.create(
        case=case, monthly_amount=70000, currency="MNT", first_month=dt.date(2026, 12, 1)
    )
    client = signed_in(staff.district)
    page = client.get("/console/payments/", {"month": "2027-01"}).content.decode()
    assert case.number in page and "70,000 MNT" in page
    # the amounts read the way each staff language writes numbers
    for language, amount in (("ru", "70\xa0000"), ("kk", "70\xa0000"), ("mn", "70,000")):
        client.cookies["django_language"] = language
        localized = client.get("/console/payments/", {"month": "2027-01"}).content.decode()
        assert f"{amount} MNT" in localized, language
    client.cookies["django_language"] = "en"
    download = client.get("/console/payments/", {"month": "2027-01", "export": "csv"})
    assert download["Content-Type"] == "text/csv"
    assert case.number in download.content.decode("utf-8-sig")
    this_month = client.get("/console/payments/").content.decode()
    assert (case.number in this_month) == (timezone.localdate() >= dt.date(2026, 12, 1))
