"""A citizen's rights: export everything (and nothing of anyone else), correct, withdraw
consent, erase (refused while a case is in progress, complete otherwise)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit import rights
from audit.models import AuditEntry
from cases.models import Case, CaseEvent
from channels_app.models import CallbackRequest, InboundDelivery, OutboundMessage
from channels_app.outbound import suppression_reason
from crm.consents import consent_record
from crm.conversation_facts import conversation_facts_refresh
from crm.errors import Conflict, NotAllowed, ValidationFailed
from crm.models import Consent, Contact, Conversation, Household, HouseholdMember, Interaction
from crm.services import contact_merge, note_add
from tests.factories import ContactFactory, ConversationFactory, IdentityFactory, InteractionFactory

pytestmark = pytest.mark.django_db

# Values only this citizen has: none may survive erasure anywhere in the database.
SECRETS = [
    "Өлзийбаяр",
    "Батсүх",
    "УБ45031512",
    "+97699887766",
    "Миний тэтгэвэр хаана байна",
    "Шинэ гэрт нүүсэн",
    "Баянгол 3-р хороо 14-р байр",
    "Хүүгээ алдсан, ганцаараа",
    "Нүдний хараа муу",
    "Ээж нь өвчтэй",
    "Хуучин нэр Батсүх-Эрдэнэ",
    "hidden-document-name.pdf",
    "Батсүхийн охин",
]


@pytest.fixture
def person(tree, staff):
    """A citizen with something in every store: identities, messages, outbox, callback,
    a household, a consent, a closed case with a document, and a merged duplicate."""
    from tests.cases.factories import CaseDocumentFactory, placement_service

    contact = ContactFactory(
        first_name="Батсүх",
        last_name="Өлзийбаяр",
        address_unit=tree.k7,
        address_text="Баянгол 3-р хороо 14-р байр",
    )
    IdentityFactory(contact=contact, scheme="national_id", value="УБ45031512")
    IdentityFactory(contact=contact, value="+97699887766")
    conversation = ConversationFactory(contact=contact, address="+97699887766")
    message = InteractionFactory(
        contact=contact,
        conversation=conversation,
        body="Миний тэтгэвэр хаана байна",
        address="+97699887766",
        payload={"Body": "Миний тэтгэвэр хаана байна", "From": "+97699887766"},
    )
    # The inbox's copy of the last message sits on the conversation row: erasure covers it too.
    conversation_facts_refresh(Conversation.objects.filter(pk=conversation.pk))
    assert Conversation.objects.get(pk=conversation.pk).last_inbound_body
    # The raw webhook deliveries: one processed into the message, one refused before it.
    request = {"Body": "Миний тэтгэвэр хаана байна", "From": "+97699887766"}
    InboundDelivery.objects.create(
        channel="sms", provider_id="SM" + "a" * 32, sender="+97699887766", payload=request,
        status="processed", interaction=message,
    )  # fmt: skip
    InboundDelivery.objects.create(
        channel="sms", provider_id="SM" + "b" * 32, sender="+97699887766", payload=request,
        status="rejected", error="Миний тэтгэвэр хаана байна",
    )  # fmt: skip
    note_add(contact=contact, author=staff.agent, body="Шинэ гэрт нүүсэн")
    OutboundMessage.objects.create(
        contact=contact,
        channel="sms",
        address="+97699887766",
        body="Батсүх, таны хүсэлт хүлээн авлаа",
        language="mn",
        purpose="notification",
    )
    CallbackRequest.objects.create(
        contact=contact,
        channel="sms",
        phone="+97699887766",
        due_at=timezone.now(),
        note="Ээж нь өвчтэй",
    )
    household = Household.objects.create(address_text="Баянгол 3-р хороо 14-р байр")
    HouseholdMember.objects.create(
        household=household, contact=contact, relationship="head", monthly_income=350000
    )
    consent_record(
        subject=contact,
        given_by=contact,
        purpose=Consent.Purpose.APPLICATION,
        method=Consent.Method.VERBAL,
        channel="walk_in",
        evidence={"said": "Батсүхийн охин"},
    )
    case = Case.objects.create(
        number="2026-900001",
        service=placement_service(),
        beneficiary=contact,
        origin_channel="walk_in",
        unit=tree.k7,
        status="cancelled",
        reason_for_care="Хүүгээ алдсан, ганцаараа",
        has_disability=True,
        disability_type="Нүдний хараа муу",
        disability_percent=60,
    )
    CaseEvent.objects.create(
        case=case,
        action="cancel",
        from_status="draft",
        to_status="cancelled",
        reason="Хүүгээ алдсан, ганцаараа",
    )
    document = CaseDocumentFactory(
        case=case, kind="other", required_document=None, original_name="hidden-document-name.pdf"
    )
    duplicate = ContactFactory(
        first_name="Батсүх-Эрдэнэ", last_name="Өлзийбаяр", address_unit=tree.k7
    )
    InteractionFactory(contact=duplicate, body="Хуучин нэр Батсүх-Эрдэнэ")
    contact_merge(survivor=contact, duplicate=duplicate, actor=staff.admin, reason="Ижил хүн")
    contact.refresh_from_db()
    contact.document_path = document.file.path
    return contact


def _everything() -> str:
    """The whole database as text, Cyrillic unescaped."""
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out, exclude=["contenttypes", "auth.permission"])
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def test_export_holds_every_record_of_the_citizen_and_nothing_of_another(
    person, other_citizen, staff, rows
):
    InteractionFactory(contact=other_citizen, body="Өөр хүний захидал")
    data = rights.contact_data_export(contact=person, actor=staff.admin)
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRETS:
        assert secret in text, secret
    for foreign in ("Өөр хүний захидал", "Нұрланова", "+97699445566"):
        assert foreign not in text
    records = data["records"]
    assert {
        "contact",
        "identities",
        "interactions",
        "cases",
        "outbox",
        "callbacks",
        "households",
        "consents",
        "merges",
        "inbound_deliveries",
        "audit_trail",
    } <= set(records)
    assert [m["records"]["contact"]["first_name"] for m in data["merged_records"]] == [
        "Батсүх-Эрдэнэ"
    ]
    [row] = rows(action="export")
    assert (row.actor_username, row.object_id, row.contact_id) == (
        "admin",
        str(person.pk),
        person.pk,
    )


def test_export_as_pdf_over_the_console(person, staff, signed_in, rows):
    client = signed_in(staff.admin)
    response = client.get(f"/console/privacy/citizens/{person.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    json_response = client.get(f"/console/privacy/citizens/{person.pk}/export.json")
    assert json_response.json()["records"]["contact"]["last_name"] == "Өлзийбаяр"
    assert [r.detail for r in rows(action="export")] == ["pdf", "json"]


def test_correction_is_audited_with_fields_not_values(person, staff, rows):
    rights.contact_correct(
        contact=person,
        actor=staff.local7,
        changes={"first_name": "Батсүхийн", "birth_date": "1950-04-30"},
        reason="Иргэний үнэмлэхээр шалгав",
    )
    person.refresh_from_db()
    assert person.first_name == "Батсүхийн" and str(person.birth_date) == "1950-04-30"
    [row] = rows(action="update")
    assert row.detail == "correct:first_name,birth_date"
    assert "Батсүхийн" not in json.dumps(
        list(AuditEntry.objects.values()), ensure_ascii=False, default=str
    )


def test_correction_refuses_bad_input_and_changes_nothing(person, staff, rows):
    with pytest.raises(ValidationFailed, match="Birth date"):
        rights.contact_correct(
            contact=person, actor=staff.local7, changes={"birth_date": "30.04.1950"}, reason="x"
        )
    with pytest.raises(ValidationFailed, match="Say why"):
        rights.contact_correct(
            contact=person, actor=staff.local7, changes={"first_name": "A"}, reason=" "
        )
    with pytest.raises(NotAllowed):
        rights.contact_correct(
            contact=person, actor=staff.supervisor, changes={"first_name": "A"}, reason="x"
        )
    person.refresh_from_db()
    assert person.first_name == "Батсүх"
    assert rows() == []


def test_consent_withdrawal_stops_notifications(person, staff, rows):
    withdrawn = rights.contact_consent_withdraw(
        contact=person, actor=staff.agent, reason="Утсаар хүссэн"
    )
    assert withdrawn == 1
    person.refresh_from_db()
    assert person.consent_messages is False and person.consent_data_processing is False
    assert not Consent.objects.filter(subject=person, withdrawn_at__isnull=True).exists()
    [row] = rows(action="consent_withdraw")
    assert row.contact_id == person.pk
    reason = suppression_reason(
        contact=person, scheme="phone", address="+97699887766", purpose="notification"
    )
    assert reason is not None and reason[0] == "no_consent"


def test_erasure_is_refused_with_a_case_in_progress(person, staff, rows):
    from tests.cases.factories import placement_service

    Case.objects.create(
        number="2026-900002",
        service=placement_service(),
        beneficiary=person,
        origin_channel="sms",
        unit=person.address_unit,
        status="submitted",
    )
    with pytest.raises(Conflict) as refused:
        rights.contact_erase(contact=person, actor=staff.admin, reason="Хуулийн хугацаа дууссан")
    assert "2026-900002" in refused.value.message
    assert refused.value.details["blockers"]
    person.refresh_from_db()
    assert person.first_name == "Батсүх"
    assert rows(action="erase") == []


def test_only_administrators_erase(person, staff):
    with pytest.raises(NotAllowed):
        rights.contact_erase(contact=person, actor=staff.local7, reason="x")


def test_erasure_leaves_no_personal_data_behind(
    person, other_citizen, staff, rows, django_capture_on_commit_callbacks
):
    import os

    assert os.path.exists(person.document_path)
    before = _everything()
    assert all(secret in before for secret in SECRETS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        counts = rights.contact_erase(
            contact=person, actor=staff.admin, reason="Хуулийн хугацаа дууссан"
        )
    assert callbacks  # the document file goes after commit
    assert counts["identities"] == 2 and counts["interactions"] >= 3
    after = _everything()
    for secret in SECRETS:
        assert secret not in after, secret
    assert not os.path.exists(person.document_path)
    # Ids and figures stay: the case still counts, the rows still exist, anonymous.
    assert Case.objects.filter(number="2026-900001", beneficiary=person).exists()
    assert Interaction.objects.filter(contact=person).count() >= 2
    assert OutboundMessage.objects.get(contact=person).status == "suppressed"
    assert InboundDelivery.objects.filter(provider_id__startswith="SM").count() == 2
    assert CallbackRequest.objects.get(contact=person).status == "cancelled"
    # Nobody else was touched.
    other_citizen.refresh_from_db()
    assert other_citizen.last_name == "Нұрланова"
    assert other_citizen.identities.count() == 1
    [row] = rows(action="erase")
    assert (row.object_id, row.contact_id) == (str(person.pk), person.pk)
    # The erased person's export holds ids and figures only.
    text = json.dumps(
        rights.contact_data_export(contact=person, actor=staff.admin), ensure_ascii=False
    )
    assert [secret for secret in SECRETS if secret in text] == []
    assert Contact.objects.get(pk=person.pk).display_name == f"#{person.pk}"


def test_the_rights_over_the_api(api, person, staff, rows):
    from tests.cases.factories import placement_service

    client = api.as_user(staff.local7)
    exported = client.get(f"/api/v1/contacts/{person.pk}/export/")
    assert exported.status_code == 200
    assert exported.json()["records"]["contact"]["last_name"] == "Өлзийбаяр"
    corrected = client.post(
        f"/api/v1/contacts/{person.pk}/correct/",
        {"changes": {"middle_name": "Доржийн"}, "reason": "Үнэмлэхээр"},
        format="json",
    )
    assert corrected.status_code == 200 and corrected.json()["middle_name"] == "Доржийн"
    withdrawn = client.post(
        f"/api/v1/contacts/{person.pk}/consent-withdrawal/", {"reason": "Утсаар"}, format="json"
    )
    assert withdrawn.json() == {"withdrawn": 1}
    assert (
        client.post(
            f"/api/v1/contacts/{person.pk}/erase/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    Case.objects.create(
        number="2026-900003",
        service=placement_service(),
        beneficiary=person,
        origin_channel="sms",
        unit=person.address_unit,
        status="draft",
    )
    admin = api.as_user(staff.admin)
    refused = admin.post(f"/api/v1/contacts/{person.pk}/erase/", {"reason": "x"}, format="json")
    assert refused.status_code == 409
    assert "2026-900003" in " ".join(refused.json()["errors"]["blockers"])
    assert [r.action for r in rows()] == ["export", "update", "consent_withdraw"]
    outside = api.as_user(staff.local_s1).get(f"/api/v1/contacts/{person.pk}/export/")
    assert outside.status_code == 404
