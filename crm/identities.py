"""Turning what someone typed into the one stored form of an identity."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Identity
from .national_ids import NationalIdError, parse_national_id
from .phones import PhoneError, normalize_phone


class IdentityError(ValueError):
    pass


def normalize_identity(scheme: str, raw: str, *, country: str | None = None) -> str:
    """The canonical value for ``scheme``, or IdentityError saying what to fix."""
    if scheme == Identity.Scheme.PHONE:
        try:
            return normalize_phone(raw)
        except PhoneError as exc:
            raise IdentityError(str(exc)) from exc
    if scheme == Identity.Scheme.NATIONAL_ID:
        try:
            # Without a country the shape decides: one deployment serves both countries' IDs.
            return parse_national_id(raw, country).value
        except NationalIdError as exc:
            raise IdentityError(str(exc)) from exc
    if scheme == Identity.Scheme.TELEGRAM:
        value = str(raw).strip()
        if not (value.isascii() and value.lstrip("-").isdigit()) or len(value) > 20:
            raise IdentityError(_("A Telegram user id is a number."))
        return value
    raise IdentityError(_("Unknown identity scheme %(scheme)s.") % {"scheme": scheme})
