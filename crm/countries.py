"""Which country a unit (and so a case, a worker or a kiosk) belongs to.

One deployment can serve Mongolia and Kazakhstan at once: the first part of a unit's
materialised path is its country code, and ``CRM_COUNTRY`` only decides where there is no unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import phonenumbers
from django.conf import settings

if TYPE_CHECKING:
    from .models import AdminUnit

SUPPORTED_COUNTRIES = ("MN", "KZ")


def country_of_path(path: str | None) -> str:
    """The country code a materialised unit path starts with, else the deployment's."""
    if path:
        code = path.split("/", 1)[0]
        if code in SUPPORTED_COUNTRIES:
            return code
    return settings.CRM_COUNTRY


def country_of(unit: AdminUnit | None) -> str:
    """The country code a unit belongs to, else the deployment's default."""
    return country_of_path(unit.path if unit is not None else None)


def country_prefix(unit: AdminUnit | None) -> str:
    """The path prefix every unit of ``unit``'s country starts with ("MN/")."""
    return country_of(unit) + "/"


def country_of_identity(scheme: str, value: str) -> str:
    """The country an already-normalised identity points to, else the deployment's.

    A phone number's country code (+976, +7) and a national ID's shape (an IIN is digits
    only) say where an unknown sender belongs before anyone places them in a unit.
    """
    if scheme == "phone":
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(value, None))
        except phonenumbers.NumberParseException:
            region = None
        if region in SUPPORTED_COUNTRIES:
            return region
    elif scheme == "national_id" and value:
        return "KZ" if value.isascii() and value.isdigit() else "MN"
    return settings.CRM_COUNTRY
