"""What a call changes: the call's row and timeline entry, queues, voicemail, call-backs."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.twiml.voice_response import Dial, VoiceResponse

from channels_app.commands import callback_request
from channels_app.models import CallbackRequest
from crm.conversation_facts import conversation_facts_refresh
from crm.countries import country_of
from crm.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from crm.events import conversation_changed, interaction_recorded, publish_after_commit
from crm.jurisdiction import contacts_visible_to
from crm.models import Contact, Conversation, Identity, Interaction, User
from crm.phones import PhoneError, normalize_phone
from crm.services import contact_for_identity, inbound_message_record, interaction_record
from sms.client import twilio_client, twilio_configured

from .hours import callback_due, country_for
from .links import public_url
from .models import Call
from .prompts import Speaker

logger = logging.getLogger(__name__)

FINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}
# Twilio's caller ID when the number is withheld.
HIDDEN_NUMBERS = {
    "", "anonymous", "restricted", "unknown", "private", "unavailable",
    "+266696687", "+7378742833", "+2562533", "+8656696",
}  # fmt: skip


def queue_name(language: str) -> str:
    """One Twilio queue per language, so callers reach agents who speak it in order."""
    return f"hotline-{language or 'ru'}"


def _phone(raw: str) -> str:
    if (raw or "").strip().lower() in HIDDEN_NUMBERS:
        return ""
    try:
        return normalize_phone(raw)
    except PhoneError:
        return ""


# --- a citizen calls ----------------------------------------------------------------------


@transaction.atomic
def call_start(*, call_sid: str, from_number: str, payload: dict) -> tuple[Call, bool]:
    """The call's row and its timeline entry; (call, known caller). A retry finds the first."""
    call = Call.objects.select_related("contact").filter(call_sid=call_sid).first()
    if call is not None:
        return call, call.caller_known and bool(call.language)
    number = _phone(from_number)
    known = contact_for_identity(scheme=Identity.Scheme.PHONE, value=number) if number else None
    call = Call.objects.create(
        call_sid=call_sid,
        purpose=Call.Purpose.HOTLINE,
        direction=Interaction.Direction.INBOUND,
        citizen_number=number,
        country=country_for(known, number),
        language=(known.preferred_language if known else "") or "",
        caller_known=known is not None,
        menu_path=[],
    )
    if number:
        result = inbound_message_record(
            channel="voice",
            scheme=Identity.Scheme.PHONE,
            address=number,
            body=_("Incoming call"),
            provider_message_id=call_sid,
            payload={"call_sid": call_sid, "to": payload.get("To", "")},
            kind=Interaction.Kind.CALL,
            open_conversation=False,
        )
        call.contact = result.contact
        call.interaction = result.interaction
        call.save(update_fields=["contact", "interaction"])
    return call, known is not None and bool(call.language)


def call_language_set(*, call: Call, language: str) -> None:
    call.language = language
    call.save(update_fields=["language"])
    contact = call.contact
    if contact is not None and not contact.preferred_language:
        contact.preferred_language = language
        contact.save(update_fields=["preferred_language", "updated_at"])


def call_iin_note(*, call: Call, iin: str, found: bool) -> None:
    """An unknown caller's IIN, kept on the call's timeline entry for the agent to verify."""
    if call.interaction_id:
        interaction = Interaction.objects.get(pk=call.interaction_id)
        interaction.payload = {**interaction.payload, "iin": iin, "iin_in_registry": found}
        interaction.save(update_fields=["payload"])


def call_path_add(call: Call, choice: str) -> None:
    call.menu_path = [*call.menu_path, choice]
    call.save(update_fields=["menu_path"])


def _contact_for_call(call: Call) -> Contact:
    """The caller's contact; a withheld number still gets one, so their message is kept."""
    if call.contact is None:
        call.contact = Contact.objects.create()
        call.save(update_fields=["contact"])
    return call.contact


def _open_thread(call: Call, *, key: str, body: str, kind: str, payload: dict) -> Interaction:
    """Something for the agents (a waiting caller, a voice message) in the voice conversation.

    Recorded through the single inbound entry (its own provider id makes a retry a no-op), so
    the conversation opens, counts as unread and the consoles are told, as for an SMS.
    """
    contact = _contact_for_call(call)
    if call.citizen_number:
        result = inbound_message_record(
            channel="voice",
            scheme=Identity.Scheme.PHONE,
            address=call.citizen_number,
            body=body,
            provider_message_id=key,
            payload=payload,
            kind=kind,
            open_conversation=True,
        )
        interaction, conversation = result.interaction, result.conversation
    else:
        # A withheld number has no address to thread by: the entry goes on the timeline alone.
        interaction = interaction_record(
            contact=contact,
            channel="voice",
            direction=Interaction.Direction.INBOUND,
            kind=kind,
            body=body,
            payload=payload,
            provider_message_id=key,
        )
        conversation = None
    if conversation is not None and call.conversation_id != conversation.pk:
        call.conversation = conversation
        call.save(update_fields=["conversation"])
        if call.interaction_id:
            Interaction.objects.filter(pk=call.interaction_id).update(conversation=conversation)
            # The call's first entry joins the thread after the fact: it may be the citizen's
            # first unanswered word in it.
            conversation_facts_refresh(Conversation.objects.filter(pk=conversation.pk))
    return interaction


def call_enqueue(*, call: Call) -> str:
    """The caller waits for an agent: the name of the Twilio queue to put them in."""
    name = queue_name(call.language)
    if call.state != Call.State.QUEUED:
        call.state = Call.State.QUEUED
        call.queue_name = name
        call.enqueued_at = timezone.now()
        call.save(update_fields=["state", "queue_name", "enqueued_at"])
        _open_thread(
            call,
            key=f"{call.call_sid}:queue",
            body=_("Caller is waiting for an agent (%(language)s).") % {"language": call.language},
            kind=Interaction.Kind.CALL,
            payload={"call_sid": call.call_sid, "queue": name},
        )
    return name


def call_left_queue(*, call: Call, result: str) -> None:
    if call.state == Call.State.QUEUED:
        call.state = Call.State.WITH_AGENT if result == "bridged" else Call.State.MENU
        call.save(update_fields=["state"])


def call_callback_request(*, call: Call) -> CallbackRequest | None:
    """ "Call me back": the same task as the SMS CALL keyword; None for a withheld number."""
    if not call.citizen_number:
        return None
    contact = _contact_for_call(call)
    return callback_request(
        contact=contact,
        channel="voice",
        phone=call.citizen_number,
        interaction=call.interaction,
        country=call.country or None,
    )


def voicemail_record(
    *, call_sid: str, recording_sid: str, recording_url: str, duration: int
) -> Interaction | None:
    """A finished recording: a voice message on the caller's timeline and in the inbox."""
    call = Call.objects.select_related("contact").filter(call_sid=call_sid).first()
    if call is None:
        call = _call_from_twilio(call_sid)
    if call is None:
        logger.error(
            "recording %s of unknown call %s is kept only at Twilio", recording_sid, call_sid
        )
        return None
    with transaction.atomic():
        existing = Interaction.objects.filter(
            channel="voice", provider_message_id=recording_sid
        ).first()
        if existing is not None:
            return existing
        return _open_thread(
            call,
            key=recording_sid,
            body=_("Voice message, %(seconds)s s.") % {"seconds": duration},
            kind=Interaction.Kind.VOICEMAIL,
            payload={
                "call_sid": call_sid,
                "recording_sid": recording_sid,
                "recording_url": recording_url,
                "duration": duration,
            },
        )


def _call_from_twilio(call_sid: str) -> Call | None:
    """A call we never stored (its first request failed): who called, asked of Twilio, so
    the voice message still reaches the caller's timeline."""
    if not twilio_configured() or not call_sid:
        return None
    try:
        resource = twilio_client().calls(call_sid).fetch()
    except (TwilioRestException, TwilioException, requests.RequestException) as exc:
        logger.warning("could not ask Twilio about call %s: %s", call_sid, exc)
        return None
    # The SDK keeps the caller in ``_from`` ("from" is a Python keyword).
    caller = getattr(resource, "_from", None) or ""
    call, _known = call_start(call_sid=call_sid, from_number=caller, payload={"To": resource.to})
    return call


def _summary(call: Call) -> str:
    parts = [_("Call, %(seconds)s s") % {"seconds": call.duration_seconds or 0}]
    if call.menu_path:
        parts.append(_("menu: %(path)s") % {"path": " > ".join(call.menu_path)})
    if call.answered_by_id:
        parts.append(_("answered by %(agent)s") % {"agent": call.answered_by})
    elif call.twilio_status and call.twilio_status != "completed":
        parts.append(call.twilio_status)
    return "; ".join(parts) + "."


@transaction.atomic
def call_status_record(*, call_sid: str, status: str, duration: int | None) -> Call | None:
    """Twilio's call status callback: the call's end, its duration, on the timeline."""
    call = Call.objects.select_for_update().filter(call_sid=call_sid).first()
    if call is None:
        return None
    call.twilio_status = status
    if status in FINAL_STATUSES:
        call.state = Call.State.ENDED
        call.ended_at = call.ended_at or timezone.now()
        if duration is not None:
            call.duration_seconds = duration
    call.save()
    if status in FINAL_STATUSES and call.interaction_id:
        interaction = Interaction.objects.get(pk=call.interaction_id)
        interaction.body = _summary(call)
        interaction.payload = {
            **interaction.payload,
            "status": status,
            "duration": call.duration_seconds,
            "menu_path": call.menu_path,
            "answered_by": call.answered_by.username if call.answered_by_id else "",
            "purpose": call.purpose,
        }
        interaction.save(update_fields=["body", "payload"])
        publish_after_commit(
            interaction_recorded,
            sender=Interaction,
            interaction_id=interaction.pk,
            contact_id=interaction.contact_id,
            conversation_id=interaction.conversation_id,
            channel=interaction.channel,
            direction=Interaction.Direction.INTERNAL,
        )
    return call


# --- agents -------------------------------------------------------------------------------


def _agent_phone(agent: User) -> str:
    if not agent.phone:
        raise ValidationFailed(
            _("Add your phone number to your staff account first; the hotline rings it."),
            details={"phone": ["missing"]},
        )
    try:
        return normalize_phone(agent.phone)
    except PhoneError as exc:
        raise ValidationFailed(str(exc), details={"phone": [str(exc)]}) from exc


def _require_twilio() -> None:
    if not (twilio_configured() and settings.TWILIO_FROM_NUMBER):
        raise ValidationFailed(
            _("Phone calls need TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER.")
        )


def _place_call(*, to: str, twiml: str) -> str:
    """Ring ``to`` through Twilio's REST API; the call's sid."""
    try:
        created = twilio_client().calls.create(
            to=to,
            from_=settings.TWILIO_FROM_NUMBER,
            twiml=twiml,
            status_callback=public_url("ivr:twilio-status"),
        )
    except (TwilioRestException, TwilioException) as exc:
        logger.warning("Twilio refused a call to %s: %s", to, exc)
        raise ValidationFailed(
            _("Twilio could not place the call: %(error)s") % {"error": getattr(exc, "msg", exc)}
        ) from exc
    return created.sid


def waiting_calls(*, conversation_ids: list[int]) -> dict[int, Call]:
    """The caller waiting for an agent in each of these conversations."""
    calls = Call.objects.filter(
        conversation_id__in=conversation_ids, state=Call.State.QUEUED
    ).order_by("enqueued_at")
    found: dict[int, Call] = {}
    for call in calls:
        found.setdefault(call.conversation_id, call)
    return found


def call_take(*, call: Call, agent: User) -> Call:
    """Ring the agent's phone; answering it connects the longest waiting caller of that queue.

    Twilio queues are first in, first out: ``<Dial><Queue>`` takes the queue's head, which is
    the caller the inbox lists first for that language.
    """
    phone = _agent_phone(agent)
    _require_twilio()
    with transaction.atomic():
        call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
        if call.contact_id and not contacts_visible_to(agent).filter(pk=call.contact_id).exists():
            raise NotAllowed(_("This caller is outside your area."))
        if call.state != Call.State.QUEUED:
            raise Conflict(_("This caller is no longer waiting."))
    response = VoiceResponse()
    Speaker(agent.language).prompt(response, "agent_take")
    dial = Dial(action=public_url("ivr:twilio-step", "agent_done"))
    dial.queue(call.queue_name, url=public_url("ivr:twilio-bridged"))
    response.append(dial)
    sid = _place_call(to=phone, twiml=str(response))
    return Call.objects.create(
        call_sid=sid,
        purpose=Call.Purpose.AGENT_LEG,
        direction=Interaction.Direction.OUTBOUND,
        state=Call.State.RINGING,
        answered_by=agent,
        related=call,
        queue_name=call.queue_name,
        language=agent.language,
    )


@transaction.atomic
def call_bridged(*, caller_sid: str, agent_leg_sid: str) -> Call | None:
    """Twilio took a caller off the queue for an agent's leg: who answered, on the thread."""
    caller = Call.objects.select_for_update().filter(call_sid=caller_sid).first()
    leg = Call.objects.select_related("answered_by").filter(call_sid=agent_leg_sid).first()
    if caller is None:
        return None
    agent = leg.answered_by if leg is not None else None
    caller.state = Call.State.WITH_AGENT
    caller.answered_at = caller.answered_at or timezone.now()
    if agent is not None:
        caller.answered_by = agent
    caller.save(update_fields=["state", "answered_at", "answered_by"])
    if leg is not None and leg.related_id != caller.pk:
        leg.related = caller
        leg.save(update_fields=["related"])
    if agent is not None and caller.conversation_id:
        updated = Conversation.objects.filter(pk=caller.conversation_id).update(
            assignee=agent, status=Conversation.Status.OPEN
        )
        if updated:
            publish_after_commit(
                conversation_changed,
                sender=Conversation,
                conversation_id=caller.conversation_id,
                contact_id=caller.contact_id,
            )
    return caller


# --- calling citizens back ----------------------------------------------------------------

OUTCOME_REACHED, OUTCOME_NO_ANSWER, OUTCOME_WRONG_NUMBER = "reached", "no_answer", "wrong_number"
OUTCOMES = (OUTCOME_REACHED, OUTCOME_NO_ANSWER, OUTCOME_WRONG_NUMBER)


def _visible_callback(callback: CallbackRequest, agent: User) -> CallbackRequest:
    callback = (
        CallbackRequest.objects.select_for_update().select_related("contact").get(pk=callback.pk)
    )
    if not contacts_visible_to(agent).filter(pk=callback.contact_id).exists():
        raise NotAllowed(_("This citizen is outside your area."))
    if callback.status != CallbackRequest.Status.OPEN:
        raise Conflict(_("This callback is already closed."))
    return callback


def callback_dial(*, callback: CallbackRequest, agent: User) -> Call:
    """Click to call: ring the agent's phone, then connect it to the citizen."""
    phone = _agent_phone(agent)
    _require_twilio()
    with transaction.atomic():
        callback = _visible_callback(callback, agent)
        if callback.assignee_id and callback.assignee_id != agent.pk:
            raise Conflict(_("Another agent is already calling this citizen."))
        citizen = _phone(callback.phone)
        if not citizen:
            raise ValidationFailed(_("This call back has no phone number to call."))
        callback.assignee = agent
        callback.save(update_fields=["assignee"])
    response = VoiceResponse()
    Speaker(agent.language).prompt(response, "agent_dialing")
    dial = Dial(caller_id=settings.TWILIO_FROM_NUMBER)
    dial.number(citizen)
    response.append(dial)
    sid = _place_call(to=phone, twiml=str(response))
    return Call.objects.create(
        call_sid=sid,
        purpose=Call.Purpose.CLICK_TO_CALL,
        direction=Interaction.Direction.OUTBOUND,
        state=Call.State.RINGING,
        contact=callback.contact,
        citizen_number=citizen,
        answered_by=agent,
        callback=callback,
        language=callback.contact.language,
    )


@transaction.atomic
def callback_outcome_record(
    *, callback: CallbackRequest, agent: User, outcome: str, note: str = ""
) -> CallbackRequest:
    """How the call back went: reached closes it, no answer reschedules, wrong number voids."""
    if outcome not in OUTCOMES:
        raise ValidationFailed(
            _("Choose how the call went: reached, no answer or wrong number."),
            details={"outcome": ["invalid"]},
        )
    callback = _visible_callback(callback, agent)
    note = (note or "").strip()
    now = timezone.now()
    labels = {
        OUTCOME_REACHED: _("Called back: reached."),
        OUTCOME_NO_ANSWER: _("Called back: no answer."),
        OUTCOME_WRONG_NUMBER: _("Called back: wrong number."),
    }
    if outcome == OUTCOME_REACHED:
        callback.status = CallbackRequest.Status.DONE
        callback.done_at = now
    elif outcome == OUTCOME_WRONG_NUMBER:
        callback.status = CallbackRequest.Status.CANCELLED
        callback.done_at = now
    else:
        # Tried again within office hours; the next agent free takes it.

        callback.due_at = callback_due(country_of(callback.contact.address_unit), now)
        callback.assignee = None
    callback.note = (note or str(labels[outcome]))[:255]
    callback.save()
    interaction_record(
        contact=callback.contact,
        channel="voice",
        direction=Interaction.Direction.OUTBOUND,
        kind=Interaction.Kind.CALL,
        body=" ".join(x for x in (str(labels[outcome]), note) if x),
        author=agent,
        address=callback.phone,
        status=Interaction.Status.DELIVERED
        if outcome == OUTCOME_REACHED
        else Interaction.Status.UNDELIVERED,
        payload={"callback_id": callback.pk, "outcome": outcome},
    )
    return callback


# --- voice messages -----------------------------------------------------------------------


def voicemail_for(*, user: User, interaction_id: int) -> Interaction:
    """A voice message the user may hear (their jurisdiction), else NotFound-like refusal."""

    interaction = (
        Interaction.objects.filter(
            pk=interaction_id,
            kind=Interaction.Kind.VOICEMAIL,
            contact__in=contacts_visible_to(user),
        )
        .select_related("contact")
        .first()
    )
    if interaction is None or not interaction.payload.get("recording_url"):
        raise NotFound(_("No such voice message in your area."))
    return interaction


def recording_fetch(*, interaction: Interaction) -> tuple[bytes, str]:
    """The recording's audio, fetched from Twilio with the project's credentials."""
    _require_twilio()
    url = interaction.payload["recording_url"]
    if not url.endswith((".mp3", ".wav")):
        url += ".mp3"
    content, status = _download(url)
    if status != 200:
        raise ValidationFailed(
            _("Twilio did not give the recording (HTTP %(status)s).") % {"status": status}
        )
    return content, "audio/mpeg" if url.endswith(".mp3") else "audio/wav"


def _download(url: str) -> tuple[bytes, int]:
    """GET a Twilio media URL with the account's credentials, as bytes.

    The SDK's ``HttpClient.request`` answers text (fine for JSON, lossy for audio), so with the
    SDK's own client its requests session is used directly; another transport (a test's
    recording client) is asked through the SDK interface.
    """
    transport = twilio_client().http_client
    auth = (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    if isinstance(transport, TwilioHttpClient):
        session = transport.session or requests
        answer = session.get(url, auth=auth, timeout=settings.TWILIO_HTTP_TIMEOUT)
        return answer.content, answer.status_code
    answer = transport.request("GET", url, auth=auth)
    content = answer.content
    if isinstance(content, str):
        content = content.encode("latin-1")
    return content, answer.status_code
