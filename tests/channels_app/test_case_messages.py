"""Every message about a case carries the case, whoever it went to; notifications sent before
the link existed are linked by the migration through the case event their key names."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cases.models import CaseEvent
from cases.transitions import case_apply_action
from channels_app.models import OutboundMessage
from channels_app.notifications import case_messages
from crm.models import Interaction
from tests.factories import ContactFactory, IdentityFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("channels_app.migrations.0009_outbound_message_case")


@pytest.fixture
def cancelled(tree, open_case, staff, django_capture_on_commit_callbacks):
    mother = ContactFactory(preferred_language="mn", address_unit=tree.k7)
    IdentityFactory(contact=mother, value="+97699550001")
    son = ContactFactory(preferred_language="ru", address_unit=tree.k7)
    IdentityFactory(contact=son, value="+97699550002")
    case = open_case(mother, applicant=son)
    with django_capture_on_commit_callbacks(execute=True):
        case_apply_action(
            case=case, action="cancel", actor=staff.district, payload={"reason": "Нүүсэн"}
        )
    return case, mother, son


def test_the_notifications_of_a_case_are_its_messages_to_the_person_and_the_relative(
    cancelled,
):
    case, mother, son = cancelled
    assert {m.contact for m in case_messages(case=case)} == {mother, son}
    # The timeline entries say which case they were about too.
    entries = Interaction.objects.filter(contact=son, direction=Interaction.Direction.OUTBOUND)
    assert [e.payload.get("case_id") for e in entries] == [case.pk]


def test_notifications_sent_before_the_link_are_linked_by_their_event(cancelled):
    case, mother, son = cancelled
    OutboundMessage.objects.update(case=None)
    unrelated = OutboundMessage.objects.create(
        contact=mother,
        channel="sms",
        address="+97699550001",
        body="Сайн байна уу",
        language="mn",
        purpose=OutboundMessage.Purpose.REPLY,
    )
    orphan = OutboundMessage.objects.create(
        contact=mother,
        channel="sms",
        address="+97699550001",
        body="x",
        language="mn",
        purpose=OutboundMessage.Purpose.NOTIFICATION,
        dedupe_key=f"case-event:{CaseEvent.objects.order_by('-pk').first().pk + 100}:contact:1:sms",
    )

    migration.link_case_notifications(apps, None)

    assert {m.contact for m in case_messages(case=case)} == {mother, son}
    unrelated.refresh_from_db()
    orphan.refresh_from_db()
    assert (unrelated.case, orphan.case) == (None, None)
