"""Office hours as the hotline reads them: open or closed now, and when a call back is due.

The hours themselves (time zone, working hours, lunch break, the country's calendar) are data
in the core (``cases.sla``); this module only asks.
"""

from __future__ import annotations

import datetime as dt

import phonenumbers
from django.conf import settings
from django.utils import timezone

from cases.sla import is_open
from channels_app.commands import callback_due_at
from crm.countries import SUPPORTED_COUNTRIES, country_of
from crm.models import Contact

# Country calling codes of the countries served; an unknown caller's number tells the country.
_REGION_COUNTRY = {"MN": "MN", "KZ": "KZ"}


def country_for(contact: Contact | None, number: str = "") -> str:
    """The caller's country: their address's unit, else their number's, else the default."""
    if contact is not None and contact.address_unit_id:
        return country_of(contact.address_unit)
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        region = None
    country = _REGION_COUNTRY.get(region or "")
    return country if country in SUPPORTED_COUNTRIES else settings.CRM_COUNTRY


def office_open(country: str, at: dt.datetime | None = None) -> bool:
    """Whether agents are at work: the country's office hours and calendar (``cases.sla``)."""

    return is_open(country, at or timezone.now())


def callback_due(country: str, at: dt.datetime | None = None) -> dt.datetime:

    return callback_due_at(country=country, at=at or timezone.now())
