"""Twilio Messaging webhooks: thin, signed, and safe to retry.

An inbound SMS is stored as it came (one INSERT) and answered with empty TwiML at once; a worker
processes it (``SmsChannel.inbound_process``) and any answer goes out through the outbox.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.messaging_response import MessagingResponse

from channels_app.intake import inbound_accept_async, payload_clean
from channels_app.spool import spool_keep
from channels_app.status import delivery_status_record
from channels_app.webhooks import provider_webhook

from .channel import STATUS_MAP, SmsChannel, error_text
from .signatures import twilio_signed

logger = logging.getLogger(__name__)

# Nothing to say in the request itself: answers are outbox messages.
EMPTY_TWIML = str(MessagingResponse())
TWIML = "text/xml; charset=utf-8"
SMS = SmsChannel()
# Twilio's ids are 34 characters; the outbox keeps up to 64.
MAX_SID_LENGTH = 64


@provider_webhook
@csrf_exempt
@require_POST
@twilio_signed
async def inbound(request: HttpRequest) -> HttpResponse:
    # Async, so that under ASGI its INSERT and kick wait on the event loop (channels_app.intake).
    provider_id, sender, payload = SMS.inbound_delivery_of(request.POST.dict())
    await inbound_accept_async(
        channel="sms", provider_id=provider_id, sender=sender, payload=payload
    )
    return HttpResponse(EMPTY_TWIML, content_type=TWIML)


@provider_webhook
@csrf_exempt
@require_POST
@twilio_signed
def fallback(request: HttpRequest) -> HttpResponse:
    """Twilio's fallback URL: the primary failed, likely the database; keep it without one."""
    spool_keep(channel="sms", fields=request.POST.dict())
    return HttpResponse(EMPTY_TWIML, content_type=TWIML)


@provider_webhook
@csrf_exempt
@require_POST
@twilio_signed
def status(request: HttpRequest) -> HttpResponse:
    data = payload_clean(request.POST.dict())
    sid = data.get("MessageSid") or data.get("SmsSid") or ""
    twilio_status = data.get("MessageStatus") or data.get("SmsStatus") or ""
    mapped = STATUS_MAP.get(twilio_status)
    if not sid or len(sid) > MAX_SID_LENGTH or mapped is None:
        # Not a report about any message of ours; Twilio has nothing to retry.
        logger.warning("Twilio status callback without a usable sid/status: %r", data)
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
