"""The one place a Twilio REST client is built.

Tests replace the network at the SDK's own transport seam by setting ``http_client`` (a
``twilio.http.HttpClient`` subclass); everything above it, request building and error
parsing included, is the real SDK.
"""

from __future__ import annotations

from django.conf import settings
from twilio.http import HttpClient
from twilio.rest import Client

http_client: HttpClient | None = None  # None: the SDK's own requests-based client


def twilio_configured() -> bool:
    """Real sending needs both the account SID and the auth token."""
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


def twilio_client() -> Client:
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def status_callback_url() -> str:
    return settings.PUBLIC_BASE_URL + "/sms/twilio/status"
