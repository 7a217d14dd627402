"""Menu 6: a caller hears the months their caregiver allowance was paid, in their language,
only when calling from a number on file (the same rule and selector as SMS and Telegram)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import Service
from cases.organisations import AllowanceEntitlement
from cases.services import case_create
from ivr.models import Call, Prompt
from ivr.prompts import default_text
from tests.factories import ContactFactory, IdentityFactory
from tests.sms import twilio_transport as tt

MOTHER = "+97699112233"
UNKNOWN = "+97688001122"
ALLOWANCE = "caregiver-allowance-13-2-3"

pytestmark = pytest.mark.django_db


def text(key: str, language: str) -> str:
    return default_text(key, language)


def _paid_since(staff, contact, first: dt.date, last: dt.date | None = None):
    case = case_create(
        beneficiary=contact,
        service=Service.objects.get(code=ALLOWANCE),
        actor=staff.agent,
        origin_channel="voice",
    )
    AllowanceEntitlement.objects.create(
        case=case,
        monthly_amount=Decimal("70000"),
        currency="MNT",
        first_month=first,
        last_month=last,
    )
    return case


def _caller(tree, language: str):
    mother = ContactFactory(preferred_language=language, address_unit=tree.k7)
    IdentityFactory(contact=mother, value=MOTHER)
    return mother


def test_a_caller_hears_each_allowances_months_and_amount(phone, tree, staff, office_open):
    mother = _caller(tree, "en")
    # Paid from November of last year, stopped in February: across the year end.
    year = timezone.localdate().year - 1
    case = _paid_since(staff, mother, dt.date(year, 11, 1), dt.date(year + 1, 2, 1))
    caller = phone(MOTHER)
    caller.dial()
    answer = caller.press("6")
    serial = case.number.split("-")[1].lstrip("0")
    assert answer.said() == [
        text("case_intro", "en"),
        f"{case.number[:4]} {serial}",
        text("payments_first_month", "en"),
        "November",
        str(year),
        text("payments_last_month", "en"),
        "February",
        str(year + 1),
        text("payments_month_count", "en"),
        "4",
        text("payments_amount", "en"),
        "70000",
        "tugriks.",
        text("main_menu", "en"),
    ]
    assert Call.objects.get().menu_path[-1] == "payments"


def test_said_in_russian_and_asked_by_voice(phone, tree, staff, office_open):
    mother = _caller(tree, "ru")
    this_month = timezone.localdate().replace(day=1)
    _paid_since(staff, mother, this_month)
    caller = phone(MOTHER)
    caller.dial()
    said = caller.say("мои выплаты").said()
    assert said[2] == "Первый месяц выплаты:"
    months = [s for s in said if s in text(f"month_{this_month.month}", "ru")]
    assert months == [text(f"month_{this_month.month}", "ru")] * 2
    assert said[said.index("Всего оплачено месяцев:") + 1] == "1"
    assert said[-2] == "тугриков."


def test_a_mongolian_caller_hears_the_recorded_prompts(phone, tree, staff, office_open):
    mother = _caller(tree, "mn")
    _paid_since(staff, mother, dt.date(2026, 3, 1), dt.date(2026, 5, 1))
    Prompt.objects.create(
        key="month_3", language="mn", audio=ContentFile(b"RIFF0000WAVE", name="march.wav")
    )
    caller = phone(MOTHER)
    caller.dial()
    answer = caller.press("6")
    assert any(
        url.startswith(f"{tt.PUBLIC_BASE_URL}/ivr/prompts/mn/month_3.wav")
        for url in answer.played()
    )


def test_no_allowance_and_an_unknown_number(phone, tree, open_case, office_open):
    mother = _caller(tree, "en")
    open_case(mother)  # a placement request: no payments
    caller = phone(MOTHER)
    caller.dial()
    assert caller.press("6").said()[0] == text("payments_none", "en")

    stranger = phone(UNKNOWN)
    stranger.dial()
    stranger.press("4")  # English
    answer = stranger.press("6")
    assert answer.said() == [text("unknown_caller", "en"), text("offer_agent", "en")]
