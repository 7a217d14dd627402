"""STATUS and QUEUE about real cases, and who may be told what."""

from __future__ import annotations

import pytest

from cases.labels import status_label
from channels_app.texts import text_render
from tests.channels_app.conftest import queue_up
from tests.factories import ContactFactory, IdentityFactory

from . import twilio_transport as tt
from .answers import answer_of

MOTHER_PHONE = "+97699112233"
SON_PHONE = "+97688112233"
STRANGER_PHONE = "+97695112233"


@pytest.fixture
def family(db, tree):
    mother = ContactFactory(preferred_language="mn", address_unit=tree.k7)
    IdentityFactory(contact=mother, value=MOTHER_PHONE)
    son = ContactFactory(preferred_language="ru", address_unit=tree.k7)
    IdentityFactory(contact=son, value=SON_PHONE)
    stranger = ContactFactory(preferred_language="en", address_unit=tree.k7)
    IdentityFactory(contact=stranger, value=STRANGER_PHONE)
    return mother, son, stranger


@pytest.fixture
def mothers_case(family, open_case):
    mother, son, _stranger = family
    return open_case(mother, applicant=son)


def test_status_tells_the_beneficiary_their_case(client, twilio_webhooks, mothers_case):
    answer = answer_of(tt.sms(client, "ТӨЛӨВ", MOTHER_PHONE))
    assert answer == f"Хүсэлт {mothers_case.number}: Хадгалагдсан."


def test_status_tells_the_applicant_in_their_own_language(client, twilio_webhooks, mothers_case):
    answer = answer_of(tt.sms(client, "STATUS", SON_PHONE))
    assert answer == f"Заявка {mothers_case.number}: {status_label('draft', 'ru')}."


def test_status_lists_several_cases(client, twilio_webhooks, family, open_case, placement):
    mother = family[0]
    first, second = open_case(mother), open_case(mother)
    answer = answer_of(tt.sms(client, "STATUS", MOTHER_PHONE))
    assert answer.startswith("Таны хүсэлтүүд:")
    assert first.number in answer and second.number in answer


def test_status_with_a_case_number(client, twilio_webhooks, mothers_case):
    answer = answer_of(tt.sms(client, f"status {mothers_case.number}", SON_PHONE))
    assert answer == f"Заявка {mothers_case.number}: {status_label('draft', 'ru')}."


def test_a_case_status_is_only_told_to_the_beneficiary_or_applicant(
    client, twilio_webhooks, mothers_case
):
    asked = answer_of(tt.sms(client, f"STATUS {mothers_case.number}", STRANGER_PHONE))
    missing = answer_of(tt.sms(client, "STATUS 2026-999999", STRANGER_PHONE))
    # Same answer for someone else's case and a case that does not exist: nothing leaks.
    assert asked == text_render("unknown_case", "en", number=mothers_case.number)
    assert missing == text_render("unknown_case", "en", number="2026-999999")
    assert mothers_case.number in asked and "Saved" not in asked
    assert answer_of(tt.sms(client, "STATUS", STRANGER_PHONE)) == text_render("status_none", "en")
    # An unknown number texting a real case number learns nothing either.
    unknown = answer_of(tt.sms(client, f"СТАТУС {mothers_case.number}", "+97680001122"))
    assert unknown == text_render("unknown_case", "ru", number=mothers_case.number)


def test_queue_gives_the_place_in_the_district_queue(
    client, twilio_webhooks, family, open_case, tree
):
    mother = family[0]
    ahead = queue_up(open_case(ContactFactory(address_unit=tree.k12)), minutes_ago=60)
    queue_up(open_case(ContactFactory(address_unit=tree.k7)), minutes_ago=5)  # after hers
    mine = queue_up(open_case(mother), minutes_ago=30)
    assert ahead.district_id == mine.district_id
    answer = answer_of(tt.sms(client, "ДАРААЛАЛ", MOTHER_PHONE))
    assert answer == text_render("queue_position", "mn", number=mine.number, position=2)
    assert "2-т" in answer


def test_queue_when_no_case_waits(client, twilio_webhooks, mothers_case):
    answer = answer_of(tt.sms(client, "ОЧЕРЕДЬ", SON_PHONE))
    assert answer == text_render("queue_none", "ru")
