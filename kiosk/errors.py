"""What can go wrong at a kiosk, as typed domain errors (mapped to HTTP in crm.api.errors).

Messages are shown on the touch screen, so they are written for the citizen and translated
into the language the citizen chose there.
"""

from __future__ import annotations

from crm.errors import DomainError


class SessionEnded(DomainError):
    """No identified citizen on this kiosk (never started, finished, wiped or expired)."""

    status_code = 403
    code = "session_ended"


class NoAddressOnRecord(DomainError):
    """The citizen has no phone or Telegram on record to send a code to."""

    status_code = 409
    code = "no_contact_on_record"


class TooManyCodes(DomainError):
    status_code = 429
    code = "too_many_codes"


class WrongCode(DomainError):
    status_code = 400
    code = "wrong_code"


class CodeExpired(DomainError):
    """Expired, used up or locked after too many wrong tries: start again."""

    status_code = 410
    code = "code_expired"


class PairingFailed(DomainError):
    status_code = 400
    code = "pairing_failed"
