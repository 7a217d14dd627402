"""Phone numbers, normalised to E.164 with the phonenumbers library."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _


class PhoneError(ValueError):
    pass


def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 for a number typed as a citizen or a provider would type it.

    Local numbers (``99112233`` in Mongolia, ``8 701 234 5678`` in Kazakhstan) are read in the
    deployment's country unless ``region`` says otherwise.
    """
    text = (raw or "").strip()
    if not text:
        raise PhoneError(_("Enter a phone number."))
    try:
        number = phonenumbers.parse(text, region or settings.CRM_COUNTRY)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(_("%(value)s is not a phone number.") % {"value": text}) from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(
            _("%(value)s is not a valid phone number; include the country code, e.g. +976.")
            % {"value": text}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(raw: str) -> bool:
    digits = [c for c in raw if c.isdigit()]
    return len(digits) >= 7 and all(c.isdigit() or c in "+ -()" for c in raw.strip())
