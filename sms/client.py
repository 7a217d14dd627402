"""The one place a Twilio REST client is built.

Tests replace the network at the SDK's own transport seam by setting ``http_client`` (a
``twilio.http.HttpClient`` subclass); everything above it, request building and error
parsing included, is the real SDK.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

http_client: HttpClient | None = None  # None: the SDK's own requests-based client


def twilio_configured() -> bool:
    """Real sending needs both the account SID and the auth token."""
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


def twilio_client() -> Client:
    return _client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client,
        settings.TWILIO_HTTP_TIMEOUT,
    )


@lru_cache(maxsize=8)
def _client(
    account_sid: str, auth_token: str, transport: HttpClient | None, timeout: int
) -> Client:
    # One client per process and credentials: the SDK's HTTP session (and its keep-alive
    # connections to Twilio) is reused across messages instead of a new TLS handshake each.
    # The SDK's own client waits forever by default; a send must give up and be reconciled.
    return Client(
        account_sid, auth_token, http_client=transport or TwilioHttpClient(timeout=timeout)
    )


def status_callback_url() -> str:
    return settings.PUBLIC_BASE_URL + "/sms/twilio/status"
