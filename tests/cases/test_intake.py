import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.intake import (
    intake_document_attach,
    intake_missing_documents,
    intake_person_preview,
    intake_services,
    intake_submit,
)
from cases.models import Case, CaseDocument, Status
from cases.selectors import worklist
from crm.errors import NotFound, ValidationFailed
from crm.models import Consent, Identity, RegistryPerson
from tests.factories import ContactFactory, IdentityFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def grandmother_in_registry(tree):
    return RegistryPerson.objects.create(
        national_id="УБ47051821",
        first_name="Батцэцэг",
        last_name="Мягмар",
        birth_date=dt.date(1947, 5, 18),
        sex="F",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо, 15-р байр",
    )


@pytest.fixture
def grandson(db):
    contact = ContactFactory(first_name="", last_name="", is_identified=False)
    IdentityFactory(contact=contact, scheme=Identity.Scheme.TELEGRAM, value="555000111")
    return contact


def test_preview_shows_a_masked_name_and_the_unit(grandmother_in_registry, tree):
    preview = intake_person_preview(national_id="уб47051821")
    assert preview.masked_name == "М*** Б***"
    assert preview.unit == tree.k7


def test_preview_of_a_malformed_or_unknown_id(db):
    with pytest.raises(ValidationFailed):
        intake_person_preview(national_id="12")
    with pytest.raises(NotFound):
        intake_person_preview(national_id="УБ52030415")


def test_a_grandson_applies_for_his_grandmother(
    grandmother_in_registry, grandson, placement, staff, tree
):
    result = intake_submit(
        applicant=grandson,
        service=placement,
        channel="telegram",
        beneficiary_national_id="УБ47051821",
        relationship="relative",
        reason="Ганцаараа амьдардаг, асаргаа хэрэгтэй",
        consent_confirmed=True,
        consent_evidence={"update_id": 1},
    )
    case = result.case
    assert case.status == Status.DRAFT and case.unit == tree.k7
    assert case.beneficiary.last_name == "Мягмар" and case.applicant == grandson
    assert case.applicant_relationship == "relative" and case.origin_channel == "telegram"
    consent = result.consent
    assert (consent.subject, consent.given_by) == (case.beneficiary, grandson)
    assert consent.purpose == Consent.Purpose.APPLICATION and consent.reference == case.number
    assert consent.method == Consent.Method.DECLARED_BY_REPRESENTATIVE
    assert case in worklist(user=staff.local7, status=Status.DRAFT)
    assert case not in worklist(user=staff.local_s1, status=Status.DRAFT)
    assert {d.code for d in result.missing_documents} == {
        d.code for d in placement.documents.all() if d.applies_to(case)
    }


def test_applying_for_oneself_adds_the_checked_national_id(
    grandmother_in_registry, grandson, placement, tree
):
    result = intake_submit(
        applicant=grandson,
        service=placement,
        channel="telegram",
        beneficiary_national_id="УБ47051821",
        consent_confirmed=True,
    )
    assert result.beneficiary == grandson and result.case.applicant is None
    grandson.refresh_from_db()
    assert grandson.address_unit == tree.k7 and grandson.last_name == "Мягмар"
    assert grandson.identities.filter(scheme="national_id", verified=True).exists()
    assert result.consent.given_by == grandson and result.consent.relationship == ""


def test_no_case_without_consent_relationship_or_unit(grandson, placement, tree):
    count = Case.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        intake_submit(
            applicant=grandson, service=placement, channel="telegram", consent_confirmed=False
        )
    assert "consent" in exc.value.details
    other = ContactFactory(address_unit=tree.k7)
    with pytest.raises(ValidationFailed) as exc:
        intake_submit(
            applicant=grandson,
            beneficiary=other,
            service=placement,
            channel="telegram",
            consent_confirmed=True,
        )
    assert "relationship" in exc.value.details
    homeless = ContactFactory(address_unit=None)
    with pytest.raises(ValidationFailed) as exc:
        intake_submit(
            applicant=homeless, service=placement, channel="kiosk", consent_confirmed=True
        )
    assert "beneficiary" in exc.value.details
    assert Case.objects.count() == count
    assert not Consent.objects.exists()


def test_a_document_from_the_applicant_is_attached_and_no_longer_missing(
    grandmother_in_registry, grandson, placement
):
    result = intake_submit(
        applicant=grandson,
        service=placement,
        channel="telegram",
        beneficiary_national_id="УБ47051821",
        relationship="child",
        consent_confirmed=True,
    )
    first_missing = result.missing_documents[0]
    document = intake_document_attach(
        case=result.case,
        file=SimpleUploadedFile("scan.pdf", PDF),
        required_document=first_missing,
    )
    assert document.content_type == "application/pdf" and document.uploaded_by is None
    assert first_missing not in intake_missing_documents(case=result.case)
    other = intake_document_attach(case=result.case, file=SimpleUploadedFile("a.pdf", PDF))
    assert other.kind == CaseDocument.Kind.OTHER
    with pytest.raises(ValidationFailed):
        intake_document_attach(
            case=result.case, file=SimpleUploadedFile("fake.pdf", b"MZ not a pdf")
        )


def test_the_catalogue_offered_lists_active_services(placement):
    assert placement in intake_services(unit=None)  # the deployment's country (MN)


def test_a_person_in_kazakhstan_is_offered_and_may_apply_only_for_kazakh_services(placement, db):
    from tests.cases.kz import kz_office

    office = kz_office()
    person = ContactFactory(address_unit=office.okrug, preferred_language="kk")
    offered = intake_services(unit=office.okrug)
    assert offered.exists() and set(offered.values_list("country", flat=True)) == {"KZ"}
    assert placement not in offered
    with pytest.raises(ValidationFailed) as exc:
        intake_submit(applicant=person, service=placement, channel="kiosk", consent_confirmed=True)
    assert "service" in exc.value.details
    result = intake_submit(
        applicant=person, service=offered.first(), channel="kiosk", consent_confirmed=True
    )
    assert result.case.unit == office.okrug


def test_the_answer_about_messages_is_recorded_with_the_application(
    grandmother_in_registry, grandson, placement
):
    from crm.models import Contact

    agreed = intake_submit(
        applicant=grandson,
        service=placement,
        channel="telegram",
        beneficiary_national_id="УБ47051821",
        relationship="child",
        consent_confirmed=True,
        notifications=True,
    )
    purposes = dict(
        Consent.objects.filter(subject=agreed.beneficiary).values_list("purpose", "given_by")
    )
    assert purposes == {
        Consent.Purpose.APPLICATION: grandson.pk,
        Consent.Purpose.NOTIFICATIONS: grandson.pk,
    }
    refused = ContactFactory(address_unit=agreed.beneficiary.address_unit)
    intake_submit(
        applicant=refused,
        service=placement,
        channel="kiosk",
        consent_confirmed=True,
        notifications=False,
    )
    assert Contact.objects.get(pk=refused.pk).consent_messages is False
    assert not Consent.objects.filter(subject=refused, purpose="notifications").exists()


def test_a_walk_in_proxy_is_identified_by_national_id_and_everything_rolls_back_on_refusal(
    grandmother_in_registry, placement, staff, tree
):
    from cases.intake import HealthStatus, intake_walk_in_submit
    from crm.models import Contact
    from crm.services import contact_from_registry

    RegistryPerson.objects.create(
        national_id="УБ75091412",
        first_name="Ганбаатар",
        last_name="Батцэцэг",
        birth_date=dt.date(1975, 9, 14),
        sex="M",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо",
    )
    mother, _ = contact_from_registry(national_id="УБ47051821")
    contacts = Contact.objects.count()
    with pytest.raises(ValidationFailed):
        intake_walk_in_submit(
            beneficiary=mother,
            service=placement,
            actor=staff.local7,
            consent_method=Consent.Method.SIGNED_FORM,
            notifications=True,
            applicant_national_id="УБ75091412",
            applicant_phone="12",
            relationship="child",
        )
    assert Contact.objects.count() == contacts and not Case.objects.exists()
    result = intake_walk_in_submit(
        beneficiary=mother,
        service=placement,
        actor=staff.local7,
        consent_method=Consent.Method.SIGNED_FORM,
        notifications=True,
        health=HealthStatus(has_disability=True, disability_type="Sight", disability_percent=70),
        applicant_national_id="УБ75091412",
        applicant_phone="99001122",
        relationship="child",
    )
    case = result.case
    assert case.applicant.last_name == "Батцэцэг" and case.origin_channel == "walk_in"
    assert (case.has_disability, case.disability_type, case.disability_percent) == (
        True,
        "Sight",
        70,
    )
    assert case.applicant.identities.filter(value="+97699001122").exists()
    assert result.consent.method == Consent.Method.SIGNED_FORM
    assert result.consent.recorded_by == staff.local7


def test_no_to_messages_ends_an_earlier_yes(grandmother_in_registry, grandson, placement, staff):
    first = intake_submit(
        applicant=grandson,
        service=placement,
        channel="telegram",
        beneficiary_national_id="УБ47051821",
        relationship="child",
        consent_confirmed=True,
        notifications=True,
    )
    # She comes to the office herself and says no.
    intake_submit(
        applicant=first.beneficiary,
        service=placement,
        channel="walk_in",
        consent_confirmed=True,
        consent_method=Consent.Method.SIGNED_FORM,
        notifications=False,
        actor=staff.local7,
    )
    earlier = Consent.objects.get(purpose=Consent.Purpose.NOTIFICATIONS)
    assert earlier.withdrawn_at is not None and earlier.withdrawal_recorded_by == staff.local7
    first.beneficiary.refresh_from_db()
    assert first.beneficiary.consent_messages is False
