"""Citizens ask the bot which months their caregiver allowance was paid: the same answer as
the SMS keyword, in the citizen's language, and only after they shared their own number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.models import Service
from cases.organisations import AllowanceEntitlement
from cases.services import case_create
from channels_app.texts import text_render
from tests.factories import ContactFactory, IdentityFactory

from .transport import fixture, post_update, text_update

USER = 5120458830
ALLOWANCE = "caregiver-allowance-13-2-3"


def _months_back(month: dt.date, count: int) -> dt.date:
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def _paid_allowance(contact, *, first: dt.date, last: dt.date | None = None):
    case = case_create(
        beneficiary=contact,
        service=Service.objects.get(code=ALLOWANCE),
        actor=None,
        origin_channel="walk_in",
    )
    AllowanceEntitlement.objects.create(
        case=case,
        monthly_amount=Decimal("70000"),
        currency="MNT",
        first_month=first,
        last_month=last,
    )
    return case


def test_the_payments_button_answers_the_months_paid_in_the_citizens_language(
    client, telegram, tree
):
    this_month = timezone.localdate().replace(day=1)
    owner = ContactFactory(address_unit=tree.k7, preferred_language="ru")
    IdentityFactory(contact=owner, scheme="phone", value="+97699112233")
    running = _paid_allowance(owner, first=_months_back(this_month, 14))
    stopped = _paid_allowance(
        owner, first=_months_back(this_month, 20), last=_months_back(this_month, 17)
    )

    # Before identification: nothing personal, the bot asks for the phone number.
    post_update(client, text_update("/payments", USER, language="ru"))
    refused = telegram.sent()[-1]
    assert refused["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    assert running.number not in refused["text"]

    post_update(client, fixture("contact"))  # shares +97699112233: linked to the owner
    post_update(client, text_update("Мои выплаты", USER, language="ru"))
    answer = telegram.sent()[-1]["text"]
    assert answer.startswith("Ваши пособия:")
    # Across the year end, up to this month; the stopped one ends at its stop month.
    assert (
        f"{running.number}: {_months_back(this_month, 14):%Y-%m} - {this_month:%Y-%m}, "
        "70,000 MNT" in answer
    )
    assert (
        f"{stopped.number}: {_months_back(this_month, 20):%Y-%m} - "
        f"{_months_back(this_month, 17):%Y-%m}, 70,000 MNT" in answer
    )
    # The menu stays under the answer, with the payments button on it.
    keyboard = telegram.sent()[-1]["reply_markup"]["keyboard"]
    assert "Мои выплаты" in [button["text"] for row in keyboard for button in row]


def test_an_identified_citizen_without_an_allowance_is_told_so(client, telegram, tree):
    owner = ContactFactory(address_unit=tree.k7, preferred_language="kk")
    IdentityFactory(contact=owner, scheme="phone", value="+97699112233")
    post_update(client, fixture("contact"))
    post_update(client, text_update("/payments", USER, language="kk"))
    assert telegram.sent()[-1]["text"] == text_render("payments_none", "kk")
