"""Twilio Messaging webhooks: thin, signed, and safe to retry."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from channels_app.inbound import inbound_receive
from channels_app.outbound import delivery_status_record
from crm.phones import PhoneError, normalize_phone

from .channel import STATUS_MAP, error_text
from .signatures import twilio_signed

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
@twilio_signed
def inbound(request: HttpRequest) -> HttpResponse:
    data = request.POST
    raw_from = data.get("From", "")
    try:
        address = normalize_phone(raw_from)
    except PhoneError:
        # A short code or an alphanumeric sender: keep what Twilio gave us rather than lose it.
        address = raw_from.strip()
    outcome = inbound_receive(
        channel="sms",
        address=address,
        body=data.get("Body", ""),
        provider_message_id=data.get("MessageSid") or data.get("SmsSid") or None,
        payload={key: data.get(key) for key in data},
    )
    return HttpResponse(outcome.response, content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
@twilio_signed
def status(request: HttpRequest) -> HttpResponse:
    data = request.POST
    sid = data.get("MessageSid") or data.get("SmsSid") or ""
    twilio_status = data.get("MessageStatus") or data.get("SmsStatus") or ""
    mapped = STATUS_MAP.get(twilio_status)
    if not sid or mapped is None:
        logger.warning("Twilio status callback without a usable sid/status: %r", dict(data))
        return HttpResponse(status=204)
    error_code = data.get("ErrorCode", "")
    message = delivery_status_record(
        channel="sms",
        provider_message_id=sid,
        status=mapped,
        error_code=error_code,
        error_message=error_text(error_code, data.get("ErrorMessage", "")) if error_code else "",
    )
    if message is None:
        logger.warning(
            "Twilio status %s for unknown message %s: kept until its send is recorded",
            twilio_status,
            sid,
        )
    return HttpResponse(status=204)
