"""Walk-in registration at the local office (seed 000's "Бүртгэх"), as the worker does it:
national ID, the registry's person, the household, the application with consent, the papers,
then the request sent to the district."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Status
from console.walkin_forms import DocumentsForm, NationalIdForm, WalkInApplicationForm
from crm.models import Consent, Contact, HouseholdMember, RegistryPerson

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def son_in_registry(tree):
    return RegistryPerson.objects.create(
        national_id="УБ75091412",
        first_name="Ганбаатар",
        last_name="Батцэцэг",
        birth_date=dt.date(1975, 9, 14),
        sex="M",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо, 15-р байр",
    )


@pytest.fixture
def worker(signed_in, staff):
    return signed_in(staff.local7)


def _register(worker, national_id: str = "УБ47051821"):
    return worker.post(reverse("console:walkin"), {"national_id": national_id})


def _application(service, **extra) -> dict:
    data = {
        "service": service.pk,
        "reason": "Lives alone and can no longer cook or wash",
        "has_disability": "no",
        "applies": "self",
        "consent": "on",
        "consent_method": Consent.Method.SIGNED_FORM,
        "notifications": "yes",
    }
    data.update(extra)
    return data


# --- forms -------------------------------------------------------------------------------


def test_the_national_id_form_explains_a_latin_keyboard_and_normalises_a_good_number(db):
    form = NationalIdForm({"national_id": "UB47051821"})
    assert not form.is_valid()
    assert "Cyrillic" in form.errors["national_id"][0]
    form = NationalIdForm({"national_id": " уб 47051821 "})
    assert form.is_valid()
    assert form.cleaned_data["national_id"] == "УБ47051821"


def test_the_application_form_asks_what_a_proxy_and_a_disability_need(placement):
    from cases.models import Service

    form = WalkInApplicationForm(
        _application(placement, applies="other", has_disability="yes", consent=""),
        services=Service.objects.all(),
    )
    assert not form.is_valid()
    assert set(form.errors) == {
        "applicant_national_id",
        "relationship",
        "disability_type",
        "disability_percent",
        "consent",
    }
    assert "Without consent" in form.errors["consent"][0]


def test_the_documents_form_wants_the_issue_date_of_a_health_paper(placement):
    health = placement.documents.get(code="health_certificate")
    form = DocumentsForm(
        {},
        {f"file_{health.pk}": SimpleUploadedFile("h.pdf", PDF, "application/pdf")},
        documents=[health],
        language="en",
    )
    assert not form.is_valid()
    assert f"issued_{health.pk}" in form.errors


# --- the flow ----------------------------------------------------------------------------


def test_a_national_id_found_in_the_registry_opens_the_persons_page(worker, registry_person, tree):
    response = _register(worker, "уб47051821")
    person = Contact.objects.get(identities__value="УБ47051821")
    assert response.status_code == 302
    assert response.url == reverse("console:walkin_person", args=[person.pk])
    assert (person.last_name, person.address_unit) == ("Мягмар", tree.k7)
    page = worker.get(response.url)
    assert "Мягмар" in page.content.decode() and "Register the application" in page.content.decode()


def test_a_bad_or_unknown_id_or_someone_from_elsewhere_is_refused_and_nothing_stored(worker, tree):
    before = Contact.objects.count()
    response = _register(worker, "УБ4705")
    assert response.status_code == 400
    assert "two Cyrillic letters and 8 digits" in response.content.decode()
    response = _register(worker, "УБ52030415")
    assert "No person with the national ID УБ52030415" in response.content.decode()
    RegistryPerson.objects.create(
        national_id="УБ50010115",
        first_name="Болд",
        last_name="Дорж",
        birth_date=dt.date(1950, 1, 1),
        sex="M",
        address_unit_path=tree.k12.path,
        address_text="12-р хороо",
    )
    response = _register(worker, "УБ50010115")
    assert response.status_code == 400
    assert "outside your area" in response.content.decode()
    assert Contact.objects.count() == before


def test_agents_do_not_register_walk_ins(signed_in, staff):
    response = signed_in(staff.agent).get(reverse("console:walkin"))
    assert response.status_code == 302


def test_the_person_applies_for_themself_with_consent_to_data_and_messages(
    worker, registry_person, placement, staff
):
    person_url = _register(worker).url
    response = worker.post(person_url, _application(placement, applicant_phone="99118877"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("console:walkin_documents", args=[case.pk])
    assert (case.status, case.origin_channel, case.applicant) == (Status.DRAFT, "walk_in", None)
    assert case.has_disability is False and case.created_by == staff.local7
    consents = {c.purpose: c for c in Consent.objects.filter(subject=case.beneficiary)}
    assert set(consents) == {Consent.Purpose.APPLICATION, Consent.Purpose.NOTIFICATIONS}
    application = consents[Consent.Purpose.APPLICATION]
    assert application.given_by == case.beneficiary
    assert (application.method, application.channel) == (Consent.Method.SIGNED_FORM, "walk_in")
    assert application.recorded_by == staff.local7 and application.reference == case.number
    assert case.beneficiary.identities.filter(scheme="phone", value="+97699118877").exists()


def test_a_son_applies_for_his_mother_who_does_not_want_messages(
    worker, registry_person, son_in_registry, placement
):
    person_url = _register(worker).url
    response = worker.post(
        person_url,
        _application(
            placement,
            applies="other",
            applicant_national_id="УБ75091412",
            relationship=Case.Relationship.CHILD,
            notifications="no",
            consent_method=Consent.Method.VERBAL,
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    son = Contact.objects.get(identities__value="УБ75091412")
    assert (case.applicant, case.applicant_relationship) == (son, Case.Relationship.CHILD)
    consent = Consent.objects.get(subject=case.beneficiary)
    assert (consent.given_by, consent.relationship, consent.method) == (
        son,
        Case.Relationship.CHILD,
        Consent.Method.VERBAL,
    )
    case.beneficiary.refresh_from_db()
    assert case.beneficiary.consent_messages is False
    assert case.beneficiary.consent_data_processing is True


def test_an_invalid_application_creates_nothing(worker, registry_person, placement):
    person_url = _register(worker).url
    contacts = Contact.objects.count()
    response = worker.post(
        person_url,
        _application(placement, applies="other", applicant_national_id="УБ75091412"),
    )
    assert response.status_code == 400
    assert "Say how the applicant is related" in response.content.decode()
    # The service refuses a proxy the registry gives no address for, after it had already
    # looked them up: the whole registration is rolled back, the proxy's record included.
    response = worker.post(
        person_url,
        _application(
            placement,
            applies="other",
            applicant_national_id="УБ80010112",
            relationship=Case.Relationship.CHILD,
        ),
    )
    assert response.status_code == 400
    assert "applicant" in response.content.decode()
    assert not Case.objects.exists() and not Consent.objects.exists()
    assert Contact.objects.count() == contacts


def test_the_household_is_recorded_and_corrected(worker, registry_person, son_in_registry):
    person_url = _register(worker).url
    person = Contact.objects.get(identities__value="УБ47051821")
    household_url = reverse("console:walkin_household", args=[person.pk])
    response = worker.post(
        household_url,
        {"national_id": "УБ75091412", "relationship": "child", "monthly_income": "850000"},
    )
    assert response.status_code == 302
    members = {m.contact.last_name: m for m in HouseholdMember.objects.select_related("contact")}
    assert members["Мягмар"].relationship == HouseholdMember.Relationship.HEAD
    assert members["Батцэцэг"].monthly_income == 850000
    page = worker.get(person_url).content.decode()
    assert "Батцэцэг" in page and "850000" in page
    again = worker.post(household_url, {"national_id": "УБ75091412", "relationship": "child"})
    assert again.status_code == 400 and "already in this household" in again.content.decode()
    worker.post(household_url, {"remove": members["Батцэцэг"].pk})
    assert list(HouseholdMember.objects.values_list("contact", flat=True)) == [person.pk]


def test_the_papers_are_attached_and_the_request_sent_to_the_district(
    worker, registry_person, placement
):
    _register(worker)
    person = Contact.objects.get(identities__value="УБ47051821")
    worker.post(reverse("console:walkin_person", args=[person.pk]), _application(placement))
    case = Case.objects.get()
    documents_url = reverse("console:walkin_documents", args=[case.pk])
    # Sent without the papers: kept as a draft, told what is missing, on the same page.
    response = worker.post(documents_url, {"send": "1"})
    assert response.status_code == 302 and response.url == documents_url
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    page = worker.get(documents_url).content.decode()
    assert "kept as a draft and was not sent" in page
    files = {}
    for document in placement.documents.all():
        if document.applies_to(case):
            files[f"file_{document.pk}"] = SimpleUploadedFile(
                f"{document.code}.pdf", PDF, "application/pdf"
            )
            if document.valid_months:
                files[f"issued_{document.pk}"] = timezone.localdate() - dt.timedelta(days=10)
    response = worker.post(documents_url, {**files, "send": "1"})
    assert response.status_code == 302
    assert response.url == reverse("console:case", args=[case.pk])
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert case.documents.count() == len([k for k in files if k.startswith("file_")])


def test_walk_in_registration_is_in_the_audit_trail(worker, registry_person, placement, staff):
    from audit.models import AuditEntry

    person_url = _register(worker).url
    worker.post(person_url, _application(placement))
    person = Contact.objects.get(identities__value="УБ47051821")
    rows = AuditEntry.objects.filter(actor=staff.local7, contact_id=person.pk)
    assert rows.filter(action="create", detail="walk_in_application").exists()


def test_the_worker_reads_the_page_and_its_errors_in_mongolian(signed_in, staff):
    from django.utils import translation

    worker = signed_in(staff.local7)
    worker.cookies["django_language"] = "mn"
    response = _register(worker, "UB47051821")
    page = response.content.decode()
    assert "Иргэн бүртгэх" in page and "Бүртгэлээс хайх" in page
    with translation.override("mn"):
        expected = translation.gettext(
            "The first two characters of a registration number are Cyrillic letters "
            "(e.g. УБ); switch the keyboard to Cyrillic."
        )
    assert expected != "" and "Cyrillic" not in expected
    assert expected in page
