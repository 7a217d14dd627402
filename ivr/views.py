"""Twilio Voice webhooks: signed, thin, and never an application error to the caller."""

from __future__ import annotations

import logging
import mimetypes

from django.db import DatabaseError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from twilio.twiml.voice_response import VoiceResponse

from sms.signatures import twilio_signed

from . import flow, notifications, services
from .models import Call, Prompt

logger = logging.getLogger(__name__)


def _twiml(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _one(verb: str, **attributes) -> str:
    """A response of a single verb, built without the database (for the error paths)."""
    response = VoiceResponse()
    getattr(response, verb)(**attributes)
    return str(response)


def _language_of(call_sid: str) -> str:
    try:
        call = Call.objects.filter(call_sid=call_sid).only("language").first()
    except DatabaseError:
        return "ru"
    return (call.language if call else "") or "ru"


def _apology(call_sid: str) -> HttpResponse:
    """What a failing step answers: an apology and a call back on 1, never silence."""
    try:
        return _twiml(flow.error_twiml(_language_of(call_sid), call_sid=call_sid))
    except Exception:
        # The prompt catalogue itself is unreachable (database down): Russian, spoken.
        logger.exception("the apology could not read the prompts")
        return _twiml(flow.error_twiml("ru", call_sid=call_sid, stored={}))


@csrf_exempt
@require_POST
@twilio_signed
def voice(request: HttpRequest) -> HttpResponse:
    """The first step of an incoming call."""
    data = request.POST
    call_sid = data.get("CallSid", "")
    if not call_sid:
        return HttpResponse("CallSid is missing.", status=400)
    try:
        # One commit for the call, its timeline entry and its first answer.
        with transaction.atomic():
            services.call_start(
                call_sid=call_sid,
                from_number=data.get("From", ""),
                payload={key: data.get(key) for key in data},
            )
            twiml = flow.step_run(name="start", call_sid=call_sid, n=0, attempt=1, data=data)
        return _twiml(twiml)
    except Exception:
        logger.exception("incoming call %s failed", call_sid)
        return _apology(call_sid)


@csrf_exempt
@require_POST
@twilio_signed
def step(request: HttpRequest, name: str) -> HttpResponse:
    data = request.POST
    call_sid = data.get("CallSid", "")
    if name not in flow.STEPS:
        raise Http404("No such step.")
    try:
        n = int(request.GET.get("n", "0"))
        attempt = int(request.GET.get("a", "1"))
    except ValueError:
        return HttpResponse("n and a must be numbers.", status=400)
    try:
        return _twiml(flow.step_run(name=name, call_sid=call_sid, n=n, attempt=attempt, data=data))
    except flow.UnknownCall:
        # The first request never got stored (it failed, Twilio used the fallback URL): the
        # caller is still worth serving, so the call is recorded now and the step answered.
        logger.warning("step %s for an unknown call %s", name, call_sid)
        try:
            with transaction.atomic():
                services.call_start(
                    call_sid=call_sid,
                    from_number=data.get("From", ""),
                    payload={key: data.get(key) for key in data},
                )
                twiml = flow.step_run(name=name, call_sid=call_sid, n=n, attempt=attempt, data=data)
            return _twiml(twiml)
        except Exception:
            logger.exception("step %s of call %s failed", name, call_sid)
            return _apology(call_sid)
    except Exception:
        logger.exception("step %s of call %s failed", name, call_sid)
        return _apology(call_sid)


@csrf_exempt
@require_POST
@twilio_signed
def wait(request: HttpRequest) -> HttpResponse:
    """The queue's wait URL (Twilio polls it while the caller holds)."""
    try:
        return _twiml(flow.wait_twiml(call_sid=request.POST.get("CallSid", ""), data=request.POST))
    except Exception:
        logger.exception("queue wait page failed")
        return _twiml(_one("pause", length=20))


@csrf_exempt
@require_POST
@twilio_signed
def bridged(request: HttpRequest) -> HttpResponse:
    """``<Queue url>``: played to the caller just before the agent's leg is connected."""
    data = request.POST
    try:
        call = services.call_bridged(
            caller_sid=data.get("CallSid", ""), agent_leg_sid=data.get("DequeingCallSid", "")
        )
        return _twiml(flow.bridged_twiml(call))
    except Exception:
        logger.exception("bridging call %s failed", data.get("CallSid"))
        return _twiml(str(VoiceResponse()))


@csrf_exempt
@require_POST
@twilio_signed
def status(request: HttpRequest) -> HttpResponse:
    """Twilio's call status callback: the end of a call, or an unanswered notification."""
    data = request.POST
    call_sid = data.get("CallSid", "")
    call_status = data.get("CallStatus", "")
    duration = data.get("CallDuration")
    call = services.call_status_record(
        call_sid=call_sid,
        status=call_status,
        duration=int(duration) if duration and duration.isdigit() else None,
    )
    if call is None:
        notifications.notification_call_ended(call_sid=call_sid, call_status=call_status)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
@twilio_signed
def recording(request: HttpRequest) -> HttpResponse:
    """Twilio's recording status callback: a voice message is ready."""
    data = request.POST
    if data.get("RecordingStatus", "completed") == "completed" and data.get("RecordingSid"):
        services.voicemail_record(
            call_sid=data.get("CallSid", ""),
            recording_sid=data["RecordingSid"],
            recording_url=data.get("RecordingUrl", ""),
            duration=int(data.get("RecordingDuration") or 0),
        )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
@twilio_signed
def fallback(request: HttpRequest) -> HttpResponse:
    """Twilio's fallback URL, called when a primary step failed: apologise, offer a call back."""
    return _apology(request.POST.get("CallSid", ""))


@csrf_exempt
@require_POST
@twilio_signed
def notify(request: HttpRequest) -> HttpResponse:
    """What a notification call says once the citizen answers."""
    try:
        return _twiml(notifications.notification_twiml(message_id=int(request.GET["message"])))
    except Exception:
        logger.exception("notification call %s failed", request.POST.get("CallSid"))
        return _twiml(_one("hangup"))


@require_GET
def prompt_audio(request: HttpRequest, language: str, key: str, extension: str) -> HttpResponse:
    """A prompt's recording, public because Twilio fetches it; nothing else uploaded is."""
    prompt = Prompt.objects.filter(key=key, language=language).exclude(audio="").first()
    if prompt is None or not prompt.audio.name.endswith("." + extension):
        raise Http404("No such recording.")
    content_type = mimetypes.guess_type(prompt.audio.name)[0] or "application/octet-stream"
    response = FileResponse(prompt.audio.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
