"""A case status change tells the beneficiary and the applicant, once, on their channel."""

from __future__ import annotations

import pytest

from cases.events import case_transitioned
from cases.models import CaseEvent
from cases.transitions import case_apply_action
from channels_app.models import OutboundMessage
from channels_app.notifications import case_status_notify
from channels_app.tasks import outbound_deliver
from crm.models import Identity, Interaction
from tests.factories import ContactFactory, IdentityFactory
from tests.sms import twilio_transport as tt

MOTHER_PHONE = "+97699112233"
SON_PHONE = "+97688112233"

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(tree):
    mother = ContactFactory(preferred_language="mn", address_unit=tree.k7)
    IdentityFactory(contact=mother, value=MOTHER_PHONE)
    son = ContactFactory(preferred_language="ru", address_unit=tree.k7)
    IdentityFactory(contact=son, value=SON_PHONE)
    return mother, son


def cancel(case, staff, capture):
    with capture(execute=True):
        return case_apply_action(
            case=case, action="cancel", actor=staff.district, payload={"reason": "Нас барсан"}
        )


def test_a_status_change_notifies_beneficiary_and_applicant_exactly_once(
    family, open_case, staff, twilio_api, django_capture_on_commit_callbacks
):
    mother, son = family
    case = open_case(mother, applicant=son)
    cancel(case, staff, django_capture_on_commit_callbacks)

    messages = OutboundMessage.objects.order_by("address")
    assert [(m.contact, m.address, m.language) for m in messages] == [
        (son, SON_PHONE, "ru"),
        (mother, MOTHER_PHONE, "mn"),
    ]
    to_mother = messages.get(contact=mother)
    assert to_mother.body == (
        f"Таны хүсэлт {case.number} цуцлагдлаа. Дэлгэрэнгүйг ЗАЛГА гэж илгээж асууна уу."
    )
    assert to_mother.template_code == "case_status_cancelled"
    event = CaseEvent.objects.get(case=case, action="cancel")
    assert to_mother.dedupe_key == f"case-event:{event.pk}:contact:{mother.pk}:sms"
    assert sorted(r["data"]["To"] for r in twilio_api.sent) == [SON_PHONE, MOTHER_PHONE]

    # The delivery task running again (a redelivered Celery message) sends nothing more.
    for message in messages:
        outbound_deliver(message.pk)
    # And a listener that sees the same event twice decides nothing new.
    case_transitioned.send(
        sender=type(case),
        case_id=case.pk,
        event_id=event.pk,
        action="cancel",
        from_status="draft",
        to_status="cancelled",
        actor_id=staff.district.pk,
    )
    assert OutboundMessage.objects.count() == 2
    assert len(twilio_api.sent) == 2
    timeline = mother.interactions.filter(direction=Interaction.Direction.OUTBOUND).get()
    assert timeline.body == to_mother.body
    assert timeline.status == Interaction.Status.QUEUED


def test_opt_out_by_sms_is_honoured_by_a_later_notification(
    client, family, open_case, staff, twilio_api, django_capture_on_commit_callbacks
):
    mother, _son = family
    case = open_case(mother)
    assert tt.sms(client, "ЗОГС", MOTHER_PHONE).status_code == 200
    confirmation = OutboundMessage.objects.get(contact=mother)
    assert confirmation.purpose == OutboundMessage.Purpose.KEYWORD
    cancel(case, staff, django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get(contact=mother, purpose="notification")
    assert message.status == OutboundMessage.Status.SUPPRESSED
    # Only the answer to STOP itself went out.
    assert [r["data"]["Body"] for r in twilio_api.sent] == [confirmation.body]
    assert message.interaction.error_code == "opted_out"


def test_the_applicant_is_still_told_when_the_beneficiary_opted_out(
    family, open_case, staff, twilio_api, django_capture_on_commit_callbacks
):
    mother, son = family
    Identity.objects.filter(value=MOTHER_PHONE).update(opted_out_at="2026-01-01T00:00Z")
    cancel(open_case(mother, applicant=son), staff, django_capture_on_commit_callbacks)
    assert [r["data"]["To"] for r in twilio_api.sent] == [SON_PHONE]


def test_a_preferred_channel_without_an_adapter_falls_back_to_one_with_an_identity(
    family, open_case, staff, twilio_api, django_capture_on_commit_callbacks
):
    mother, _son = family
    mother.preferred_channel = "telegram"  # no Telegram adapter in this build
    mother.save()
    cancel(open_case(mother), staff, django_capture_on_commit_callbacks)
    assert OutboundMessage.objects.get().channel == "sms"


def test_a_citizen_without_any_address_is_skipped(
    tree, open_case, staff, twilio_api, django_capture_on_commit_callbacks
):
    walk_in = ContactFactory(address_unit=tree.k7)
    cancel(open_case(walk_in), staff, django_capture_on_commit_callbacks)
    assert OutboundMessage.objects.count() == 0


def test_notification_language_follows_the_contact(
    family, open_case, staff, settings, django_capture_on_commit_callbacks
):
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    mother, _son = family
    mother.preferred_language = "kk"
    mother.save()
    case = open_case(mother)
    event = CaseEvent.objects.get(case=case, action="create")
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = case_status_notify(case_id=case.pk, event_id=event.pk, to_status="submitted")
    message.refresh_from_db()
    assert message.body == f"Өтінім {case.number} аудандық бөлімге жіберілді."
    assert message.status == OutboundMessage.Status.DELIVERED  # the local outbox
