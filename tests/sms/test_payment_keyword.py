"""PAYMENTS (ТЭТГЭМЖ, ВЫПЛАТЫ, ТӨЛЕМ): the months each allowance of the sender's was paid."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Service
from cases.organisations import AllowanceEntitlement
from cases.services import case_create
from tests.factories import ContactFactory, IdentityFactory

from . import twilio_transport as tt
from .answers import answer_of

PHONE = "+97699112200"


def test_payments_lists_the_months_paid(client, twilio_webhooks, staff):
    carer = ContactFactory(preferred_language="mn")
    IdentityFactory(contact=carer, value=PHONE)
    assert answer_of(tt.sms(client, "ТЭТГЭМЖ", PHONE)).startswith("Танд олгогдож буй тэтгэмж алга")
    carer.address_unit = staff.local7.unit
    carer.save()
    case = case_create(
        beneficiary=carer,
        service=Service.objects.get(code="caregiver-allowance-13-2-1"),
        actor=staff.agent,
        origin_channel="sms",
    )
    AllowanceEntitlement.objects.create(
        case=case,
        monthly_amount=70000,
        currency="MNT",
        first_month=dt.date(2026, 11, 1),
        last_month=dt.date(2027, 1, 1),
    )
    answer = answer_of(tt.sms(client, "tetgemj", PHONE))
    last = min(dt.date(2027, 1, 1), timezone.localdate().replace(day=1))
    assert answer == f"Таны тэтгэмж: {case.number}: 2026-11 - {last:%Y-%m}, 70,000 MNT."
    assert answer_of(tt.sms(client, "ВЫПЛАТЫ", PHONE)).startswith("Таны тэтгэмж")
