"""Random secrets for devices and citizen sessions, and the hashes we keep instead of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

PAIRING_CODE_DIGITS = 10  # typed on the kiosk's own keypad: digits only
CITIZEN_CODE_DIGITS = 6


def token_new() -> str:
    return secrets.token_urlsafe(32)


def digits_new(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))


def secret_hash(value: str) -> str:
    """SHA-256 of a high-entropy secret (tokens, session keys): a lookup key, not reversible."""
    return hashlib.sha256(value.encode()).hexdigest()


def code_hash(*, salt: str, code: str) -> str:
    """A short one-time code keyed with the server's secret and the session it belongs to.

    Six digits alone could be brute-forced from a leaked hash; keyed, they cannot.
    """
    message = f"{salt}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def codes_match(stored_hash: str, *, salt: str, code: str) -> bool:
    return hmac.compare_digest(stored_hash, code_hash(salt=salt, code=code))
