"""The SMS channel as the hub sees it: sending through Twilio, keywords, TwiML replies."""

from __future__ import annotations

import datetime as dt
import logging
import re

import phonenumbers
import requests
import urllib3
from django.conf import settings
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)

from channels_app.delivery import provider_ids_recorded
from channels_app.inbound import inbound_handle
from channels_app.intake import payload_clean, provider_id_of
from channels_app.models import InboundDelivery, OutboundMessage
from channels_app.registry import (
    AmbiguousSendError,
    ChannelType,
    InboundRejected,
    ParsedCommand,
    PermanentSendError,
    SendError,
    SendResult,
    TemporarySendError,
)
from crm.models import Identity
from crm.phones import PhoneError, normalize_phone

from .client import status_callback_url, twilio_client, twilio_configured
from .keywords import keyword_parse
from .sending import LOCAL_DELIVERY, twilio_sender

logger = logging.getLogger(__name__)

# Twilio REST error codes that will never succeed for this number as is
# (https://www.twilio.com/docs/api/errors); the text is what agents read on the timeline.
PERMANENT_ERRORS = {
    21211: "Invalid phone number.",
    21408: "Sending to this country or region is not enabled on the Twilio account.",
    21610: "The citizen unsubscribed (replied STOP) from our number at the carrier.",
    21612: "Twilio cannot route a message to this number.",
    21614: "The number is not a mobile number.",
    21617: "The message is too long.",
    21606: "Our sender number cannot send SMS.",
    21660: "Our sender number does not belong to the Twilio account.",
}
# Delivery errors reported by status callbacks.
DELIVERY_ERRORS = {
    30003: "Unreachable handset (switched off or out of coverage).",
    30004: "Message blocked by the recipient or the carrier.",
    30005: "Unknown destination number.",
    30006: "Landline or unreachable carrier.",
    30007: "Filtered by the carrier as spam.",
    30008: "Unknown delivery error.",
}
OPT_OUT_ERRORS = {21610}
# How many of a number's latest messages reconciliation reads back from Twilio.
RECONCILE_LOOKBACK = 20

# A sender Twilio can give us: ASCII digits, optionally + and separators. Anything else (a
# short code, letters, full-width digits) is not a citizen we could answer, nor a contact.
SENDER_SHAPE = re.compile(r"\+?[0-9][0-9 ()-]{5,19}", re.ASCII)

# Twilio's message statuses -> the outbox's.
STATUS_MAP = {
    "accepted": OutboundMessage.Status.QUEUED,
    "scheduled": OutboundMessage.Status.QUEUED,
    "queued": OutboundMessage.Status.QUEUED,
    "sending": OutboundMessage.Status.QUEUED,
    "sent": OutboundMessage.Status.SENT,
    "delivered": OutboundMessage.Status.DELIVERED,
    "read": OutboundMessage.Status.DELIVERED,
    "undelivered": OutboundMessage.Status.UNDELIVERED,
    "failed": OutboundMessage.Status.FAILED,
    "canceled": OutboundMessage.Status.FAILED,
}


def error_text(code: int | str | None, fallback: str = "") -> str:
    try:
        number = int(code) if code not in (None, "") else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        return fallback
    return PERMANENT_ERRORS.get(number) or DELIVERY_ERRORS.get(number) or fallback


def request_never_left(exc: requests.RequestException) -> bool:
    """Whether the request cannot have reached Twilio: only then is sending again safe.

    No connection was made (refused, DNS, connect timeout). A connection reset or closed
    "without response", a read timeout or a broken answer may come after Twilio took it.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.ReadTimeout):
        return False
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(
        reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
    )


def sms_sender(raw: str) -> str:
    """The sender of an inbound SMS in E.164, or ``InboundRejected`` saying why not."""
    text = (raw or "").strip()
    if not text:
        raise InboundRejected("The message has no sender (empty From).")
    if not SENDER_SHAPE.fullmatch(text):
        raise InboundRejected(f"The sender {text[:40]!r} is not a phone number.")
    if text.startswith("00"):
        text = "+" + text[2:]  # the international prefix most countries dial
    try:
        return normalize_phone(text)
    except PhoneError as exc:
        raise InboundRejected(str(exc)) from exc


def _result(resource) -> SendResult:
    return SendResult(
        status=STATUS_MAP.get(resource.status or "", OutboundMessage.Status.QUEUED),
        provider_message_id=resource.sid,
        transport=OutboundMessage.Transport.TWILIO,
    )


def _classify(exc: TwilioRestException | TwilioServiceException) -> SendError:
    """Rate limits and Twilio's own outages pass; a refused number or account setting stays."""
    provider_text = getattr(exc, "msg", None) or getattr(exc, "detail", None) or ""
    provider_text = provider_text or getattr(exc, "title", "") or ""
    code = str(exc.code or exc.status)
    text = error_text(exc.code, str(provider_text))
    status = int(exc.status or 0)
    if status == 429 or status >= 500:
        return TemporarySendError(code, text)
    return PermanentSendError(code, text, opted_out=exc.code in OPT_OUT_ERRORS)


class SmsChannel(ChannelType):
    slug = "sms"
    identity_scheme = Identity.Scheme.PHONE

    def can_deliver(self, address: str) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(address, None))
        except phonenumbers.NumberParseException:
            return False

    def send(self, message: OutboundMessage) -> SendResult:
        sender = twilio_sender()
        if sender is None:
            return LOCAL_DELIVERY
        try:
            created = twilio_client().messages.create(
                to=message.address,
                from_=sender,
                body=message.body,
                status_callback=status_callback_url(),
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _classify(exc) from exc
        except requests.RequestException as exc:
            if request_never_left(exc):
                raise TemporarySendError("network", str(exc)[:255]) from exc
            # Twilio may have taken it and we missed the answer (a read timeout, a connection
            # closed after the request went out): check with Twilio, don't resend blindly.
            code = "timeout" if isinstance(exc, requests.Timeout) else "network"
            raise AmbiguousSendError(code, str(exc)[:255]) from exc
        except TwilioException as exc:
            # The SDK could not read Twilio's answer: the request did go out.
            raise AmbiguousSendError("answer", str(exc)[:255]) from exc
        return _result(created)

    def reconcile(self, message: OutboundMessage) -> SendResult | None:
        """Find the message in Twilio's log: same number, same text, since it was claimed.

        A message another outbox row already holds is not this one (two identical texts to
        one citizen): matching it would give two rows one provider id.
        """
        if not twilio_configured():
            return None  # the local outbox never left the machine
        since = message.claimed_at - dt.timedelta(minutes=1)
        candidates = []
        for candidate in twilio_client().messages.list(
            to=message.address, from_=settings.TWILIO_FROM_NUMBER, limit=RECONCILE_LOOKBACK
        ):
            # Newest first: anything older than the claim is an earlier message.
            if candidate.date_created and candidate.date_created < since:
                break
            if candidate.body == message.body:
                candidates.append(candidate)
        taken = provider_ids_recorded(self.slug, (c.sid for c in candidates))
        # Oldest first: of two identical texts, the earlier claim takes the earlier message.
        for candidate in reversed(candidates):
            if candidate.sid not in taken:
                return _result(candidate)
        return None

    def inbound_delivery_of(self, fields: dict) -> tuple[str, str, dict]:
        payload = payload_clean(fields)
        # A request without a MessageSid (not Twilio's shape, but signed) is keyed by its
        # content, so its retries are still recognised.
        sid = payload.get("MessageSid") or payload.get("SmsSid") or provider_id_of(payload)
        return sid, payload.get("From", ""), payload

    def inbound_process(self, delivery: InboundDelivery) -> None:
        data = delivery.payload
        outcome = inbound_handle(
            channel=self.slug,
            address=sms_sender(data.get("From", "")),
            body=data.get("Body", ""),
            provider_message_id=delivery.provider_id,
            payload=data,
            occurred_at=delivery.received_at,
        )
        delivery.interaction = outcome.result.interaction

    def parse_command(self, text: str) -> ParsedCommand | None:
        return keyword_parse(text)
