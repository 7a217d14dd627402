"""The call flow: each step answers one Twilio request with TwiML.

Every ``<Gather>`` gets a number of its own (``n``, counted per call) and an attempt number in
its action URL. A step's answer is stored under (CallSid, step, n, attempt): Twilio retrying
the very same request gets the same TwiML and nothing happens twice, while a second timeout or
a second visit to the menu is a new URL and a new step. No input, a wrong key or a timeout is
asked once more, then goes to an agent (office open) or a polite goodbye.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from twilio.twiml.voice_response import Gather, VoiceResponse

from cases.selectors import cases_for_contact, queue_position
from cases.sla import schedule_for
from crm.national_ids import NationalIdError, parse_kz_iin
from crm.registry import RegistryUnavailable, registry_lookup

from . import services
from .hours import office_open
from .links import public_url
from .models import Call, CallStep
from .prompts import LANGUAGES, SPEECH_LANGUAGES, Speaker

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # asked once, then once more
LANGUAGE_KEYS = {"1": "mn", "2": "kk", "3": "ru", "4": "en"}
STATUS, QUEUE, AGENT, CALLBACK, VOICEMAIL, REPEAT = "1", "2", "3", "4", "5", "9"
PAYMENTS = "6"
MENU_NAMES = {
    STATUS: "status",
    QUEUE: "queue",
    PAYMENTS: "payments",
    AGENT: "agent",
    CALLBACK: "callback",
    VOICEMAIL: "voicemail",
    REPEAT: "repeat",
}
# Words Twilio's recogniser hears in the menu, per language it recognises (stems: "очереди").
SPEECH_CHOICES = {
    "ru": [
        ("статус", STATUS),
        ("очеред", QUEUE),
        ("оператор", AGENT),
        ("специалист", AGENT),
        ("перезвон", CALLBACK),
        ("звонок", CALLBACK),
        ("сообщени", VOICEMAIL),
        ("выплат", PAYMENTS),
        ("пособи", PAYMENTS),
        ("повтор", REPEAT),
    ],
    "en": [
        ("status", STATUS),
        ("queue", QUEUE),
        ("place", QUEUE),
        ("agent", AGENT),
        ("operator", AGENT),
        ("person", AGENT),
        ("call back", CALLBACK),
        ("callback", CALLBACK),
        ("message", VOICEMAIL),
        ("voicemail", VOICEMAIL),
        ("payment", PAYMENTS),
        ("allowance", PAYMENTS),
        ("repeat", REPEAT),
        ("again", REPEAT),
    ],
}
SPEECH_HINTS = {
    "ru": "статус, очередь, оператор, перезвоните, сообщение, выплаты, повторить",
    "en": "status, queue, agent, call back, message, payments, repeat",
}


@dataclass
class Ctx:
    call: Call
    data: QueryDict
    attempt: int
    speaker: Speaker

    @property
    def digits(self) -> str:
        return (self.data.get("Digits") or "").strip()

    @property
    def speech(self) -> str:
        return (self.data.get("SpeechResult") or "").strip().casefold()


# --- building blocks ----------------------------------------------------------------------


def step_url(call: Call, name: str, *, attempt: int = 1, new: bool = True) -> str:
    if new:
        call.steps += 1
        call.save(update_fields=["steps"])
    return public_url("ivr:twilio-step", name, n=call.steps, a=attempt)


def ask(
    ctx: Ctx,
    response: VoiceResponse,
    name: str,
    keys: list[str],
    *,
    attempt: int = 1,
    speech: bool = False,
    digits: int | None = 1,
    timeout: int = 6,
    before: Callable[[Gather], None] | None = None,
) -> None:
    """A question: the prompts inside a ``<Gather>`` whose answer goes to step ``name``."""
    action = step_url(ctx.call, name, attempt=attempt)
    options: dict = {
        "action": action,
        "method": "POST",
        "timeout": timeout,
        "action_on_empty_result": True,
    }
    if digits:
        options["num_digits"] = digits
    else:
        options["finish_on_key"] = "#"
    language = ctx.speaker.language
    if speech and language in SPEECH_LANGUAGES:
        options.update(
            input="dtmf speech",
            language=SPEECH_LANGUAGES[language],
            hints=SPEECH_HINTS[language],
            speech_timeout="auto",
        )
    else:
        options["input"] = "dtmf"
    gather = response.gather(**options)
    if before is not None:
        before(gather)
    ctx.speaker.prompts(gather, keys)
    # Only if Twilio did not call the action itself (it does, with actionOnEmptyResult):
    # the same URL, so a double request is one step.
    response.redirect(action, method="POST")


def goodbye(ctx: Ctx, response: VoiceResponse, *keys: str) -> VoiceResponse:
    ctx.speaker.prompts(response, [*keys, "goodbye"])
    response.hangup()
    return response


def main_menu(ctx: Ctx, response: VoiceResponse, *, attempt: int = 1, keys=None) -> None:
    ask(ctx, response, "menu", keys or ["main_menu"], attempt=attempt, speech=True)


def language_menu(ctx: Ctx, response: VoiceResponse, *, attempt: int = 1) -> None:
    def options(gather: Gather) -> None:
        for language in LANGUAGES:
            ctx.speaker.prompt(gather, "language_option", language=language)

    ask(ctx, response, "language", [], attempt=attempt, before=options)


def give_up(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    """Asked twice without an answer: an agent when one is at work, else goodbye."""
    services.call_path_add(ctx.call, "gave_up")
    if office_open(ctx.call.country):
        return to_agent(ctx, response)
    return goodbye(ctx, response)


def again_or_give_up(
    ctx: Ctx, response: VoiceResponse, again: Callable[[VoiceResponse, int], None]
) -> VoiceResponse:
    ctx.speaker.prompt(response, "invalid_choice" if ctx.digits or ctx.speech else "no_input")
    if ctx.attempt < MAX_ATTEMPTS:
        again(response, ctx.attempt + 1)
        return response
    return give_up(ctx, response)


def to_agent(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    if not office_open(ctx.call.country):
        ask(ctx, response, "menu", ["office_closed"])
        return response
    name = services.call_enqueue(call=ctx.call)
    ctx.speaker.prompt(response, "please_hold")
    response.enqueue(
        name,
        wait_url=public_url("ivr:twilio-wait"),
        wait_url_method="POST",
        action=step_url(ctx.call, "dequeued"),
        method="POST",
    )
    return response


def home_language(country: str) -> str:
    """The language a caller who has not chosen yet is spoken to in: their country's."""
    return settings.COUNTRY_PROFILES.get(country, settings.COUNTRY)["language"]


def spoken_case_number(number: str) -> str:
    """ "2026-000123" as a caller hears it: the year, then the serial without its zeros."""
    year, _, serial = number.partition("-")
    return f"{year} {serial.lstrip('0') or '0'}" if serial else number


def say_case(ctx: Ctx, response: VoiceResponse, case) -> None:
    ctx.speaker.prompt(response, "case_intro")
    ctx.speaker.number(response, spoken_case_number(case.number))
    ctx.speaker.prompt(response, "case_status_intro")
    ctx.speaker.prompt(response, f"status_{case.status}")


def say_time(ctx: Ctx, response: VoiceResponse, at) -> None:

    local = schedule_for(ctx.call.country or settings.CRM_COUNTRY).local(at)
    ctx.speaker.number(response, f"{local.hour}:{local.minute:02d}")


def callers_cases(ctx: Ctx) -> list:

    # Only a number already on file speaks for its cases (the SMS rule): the contact found by
    # caller ID is the beneficiary or applicant of exactly these.
    if not ctx.call.caller_known or ctx.call.contact is None:
        return []
    return list(cases_for_contact(contact=ctx.call.contact)[:20])


def unknown_caller(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    if ctx.call.country == "KZ":
        ask(ctx, response, "iin", ["unknown_caller", "enter_iin"], digits=None, timeout=15)
    else:
        ask(ctx, response, "offer", ["unknown_caller", "offer_agent"])
    return response


# --- the steps ----------------------------------------------------------------------------


def step_start(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    call = ctx.call
    greeting = "greeting_open" if office_open(call.country) else "greeting_closed"
    if call.caller_known and call.language:
        main_menu(ctx, response, keys=[greeting, "main_menu"])
        return response
    ctx.speaker.prompt(response, greeting, language=home_language(call.country))
    language_menu(ctx, response)
    return response


def step_language(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    language = LANGUAGE_KEYS.get(ctx.digits[:1])
    if language is None:
        if ctx.attempt < MAX_ATTEMPTS:
            ctx.speaker.prompt(response, "invalid_choice" if ctx.digits else "no_input")
            language_menu(ctx, response, attempt=ctx.attempt + 1)
            return response
        # Nobody chose: carry on in the country's language.
        language = home_language(ctx.call.country)
        services.call_language_set(call=ctx.call, language=language)
        ctx.speaker = Speaker(language)
        return give_up(ctx, response)
    services.call_language_set(call=ctx.call, language=language)
    services.call_path_add(ctx.call, f"language:{language}")
    ctx.speaker = Speaker(language, stored=ctx.speaker.stored)
    main_menu(ctx, response)
    return response


def _menu_choice(ctx: Ctx) -> str:
    if ctx.digits:
        return ctx.digits[:1]
    for word, choice in SPEECH_CHOICES.get(ctx.speaker.language, []):
        if word in ctx.speech:
            return choice
    return ""


def step_menu(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    choice = _menu_choice(ctx)
    if choice not in MENU_NAMES:
        return again_or_give_up(ctx, response, lambda r, a: main_menu(ctx, r, attempt=a))
    services.call_path_add(ctx.call, MENU_NAMES[choice])
    if choice == REPEAT:
        main_menu(ctx, response)
    elif choice == STATUS:
        return case_status(ctx, response)
    elif choice == QUEUE:
        return queue_places(ctx, response)
    elif choice == PAYMENTS:
        return paid_months(ctx, response)
    elif choice == AGENT:
        return to_agent(ctx, response)
    elif choice == CALLBACK:
        return call_back(ctx, response)
    elif choice == VOICEMAIL:
        return voicemail(ctx, response)
    return response


def case_status(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    if not ctx.call.caller_known:
        return unknown_caller(ctx, response)
    cases = callers_cases(ctx)
    if not cases:
        ctx.speaker.prompt(response, "no_cases")
    elif len(cases) == 1:
        say_case(ctx, response, cases[0])
    else:
        ask(ctx, response, "pick", ["pick_case"], digits=None, timeout=10)
        return response
    main_menu(ctx, response)
    return response


def _case_by_digits(cases: list, digits: str):
    wanted = digits.lstrip("0")
    for case in cases:
        all_digits = re.sub(r"\D", "", case.number)
        serial = case.number.rpartition("-")[2].lstrip("0")
        if wanted and (all_digits == digits or serial == wanted):
            return case
    return None


def step_pick(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    case = _case_by_digits(callers_cases(ctx), ctx.digits) if ctx.digits else None
    if case is None:
        if ctx.attempt < MAX_ATTEMPTS:
            ctx.speaker.prompt(response, "case_not_found" if ctx.digits else "no_input")
            ask(ctx, response, "pick", ["pick_case"], attempt=ctx.attempt + 1, digits=None)
            return response
        ctx.speaker.prompt(response, "case_not_found" if ctx.digits else "no_input")
        main_menu(ctx, response)
        return response
    say_case(ctx, response, case)
    main_menu(ctx, response)
    return response


def queue_places(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:

    if not ctx.call.caller_known:
        return unknown_caller(ctx, response)
    told = False
    for case in callers_cases(ctx):
        position = queue_position(case=case)
        if position is None:
            continue
        ctx.speaker.prompt(response, "case_intro")
        ctx.speaker.number(response, spoken_case_number(case.number))
        ctx.speaker.prompt(response, "queue_place")
        ctx.speaker.number(response, position)
        told = True
    if not told:
        ctx.speaker.prompt(response, "queue_none")
    main_menu(ctx, response)
    return response


def say_month(ctx: Ctx, response: VoiceResponse, month) -> None:
    """A month as a caller hears it: its name (a prompt of its own), then the year."""
    ctx.speaker.prompt(response, f"month_{month.month}")
    ctx.speaker.number(response, month.year)


def paid_months(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    """Each allowance of the caller's: its number, first and last month paid, the months and
    the monthly amount. The same selector as the SMS and Telegram answer, and the same rule as
    the status option: only a number already on file hears anything personal."""
    from cases.payments import payments_for_contact

    if not ctx.call.caller_known or ctx.call.contact is None:
        return unknown_caller(ctx, response)
    paid = payments_for_contact(contact=ctx.call.contact)
    if not paid:
        ctx.speaker.prompt(response, "payments_none")
    for allowance in paid:
        ctx.speaker.prompt(response, "case_intro")
        ctx.speaker.number(response, spoken_case_number(allowance.case_number))
        ctx.speaker.prompt(response, "payments_first_month")
        say_month(ctx, response, allowance.months[0])
        ctx.speaker.prompt(response, "payments_last_month")
        say_month(ctx, response, allowance.months[-1])
        ctx.speaker.prompt(response, "payments_month_count")
        ctx.speaker.number(response, len(allowance.months))
        ctx.speaker.prompt(response, "payments_amount")
        ctx.speaker.number(response, f"{allowance.monthly_amount:.0f}")
        ctx.speaker.prompt(response, f"currency_{allowance.currency}")
    main_menu(ctx, response)
    return response


def step_iin(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    try:
        iin = parse_kz_iin(ctx.digits)
    except NationalIdError:
        if ctx.attempt < MAX_ATTEMPTS:
            ctx.speaker.prompt(response, "iin_invalid" if ctx.digits else "no_input")
            ask(ctx, response, "iin", ["enter_iin"], attempt=ctx.attempt + 1, digits=None)
            return response
        ctx.speaker.prompt(response, "iin_invalid" if ctx.digits else "no_input")
        ask(ctx, response, "offer", ["offer_agent"])
        return response
    try:
        record = registry_lookup(iin.value)
    except RegistryUnavailable as exc:
        logger.warning("registry unavailable during a call: %s", exc)
        record = None
    services.call_path_add(ctx.call, "iin:found" if record else "iin:not_found")
    services.call_iin_note(call=ctx.call, iin=iin.value, found=record is not None)
    ask(ctx, response, "offer", ["iin_found" if record else "iin_not_found", "offer_agent"])
    return response


def step_offer(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    if ctx.digits[:1] == "1":
        services.call_path_add(ctx.call, "agent")
        return to_agent(ctx, response)
    if ctx.attempt < MAX_ATTEMPTS:
        ctx.speaker.prompt(response, "invalid_choice" if ctx.digits else "no_input")
        ask(ctx, response, "offer", ["offer_agent"], attempt=ctx.attempt + 1)
        return response
    return goodbye(ctx, response)


def call_back(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    callback = services.call_callback_request(call=ctx.call)
    if callback is None:
        ctx.speaker.prompt(response, "callback_no_number")
        return voicemail(ctx, response)
    ctx.speaker.prompt(response, "callback_confirmed")
    say_time(ctx, response, callback.due_at)
    return goodbye(ctx, response)


def voicemail(ctx: Ctx, response: VoiceResponse) -> VoiceResponse:
    ctx.call.state = Call.State.RECORDING
    ctx.call.save(update_fields=["state"])
    ctx.speaker.prompt(response, "voicemail_intro")
    response.record(
        action=step_url(ctx.call, "recorded"),
        method="POST",
        recording_status_callback=public_url("ivr:twilio-recording"),
        recording_status_callback_event="completed",
        max_length=settings.IVR_VOICEMAIL_MAX_SECONDS,
        finish_on_key="#",
        play_beep=True,
        timeout=5,
    )
    # Reached only when nothing was recorded (Twilio then skips the action).
    return goodbye(ctx, response, "no_input")


def step_recorded(ctx: Ctx) -> VoiceResponse:
    return goodbye(ctx, VoiceResponse(), "voicemail_thanks")


def step_dequeued(ctx: Ctx) -> VoiceResponse:
    """Twilio's ``<Enqueue action>``: the caller left the queue, and why."""
    response = VoiceResponse()
    result = ctx.data.get("QueueResult", "")
    services.call_left_queue(call=ctx.call, result=result)
    if result == "bridged":
        response.hangup()  # the conversation with the agent is over
    elif result == "leave":
        return call_back(ctx, response)  # the caller chose a call back while waiting
    elif result == "hangup":
        pass  # nobody is listening any more
    else:  # queue-full, error, system-error, redirected: apologise, offer a call back
        ask(ctx, response, "error", ["error"])
    return response


def step_error(ctx: Ctx) -> VoiceResponse:
    response = VoiceResponse()
    if ctx.digits[:1] == "1":
        services.call_path_add(ctx.call, "callback")
        return call_back(ctx, response)
    return goodbye(ctx, response)


def step_leave(ctx: Ctx) -> VoiceResponse:
    """A key pressed while waiting: 1 leaves the line for a call back (``<Leave>``)."""
    response = VoiceResponse()
    if ctx.digits[:1] == "1":
        services.call_path_add(ctx.call, "callback")
        response.leave()
    return response


def step_agent_done(ctx: Ctx) -> VoiceResponse:
    """The agent's leg after its ``<Dial><Queue>`` ended."""
    response = VoiceResponse()
    response.hangup()
    return response


STEPS: dict[str, Callable[[Ctx], VoiceResponse]] = {
    "start": step_start,
    "language": step_language,
    "menu": step_menu,
    "pick": step_pick,
    "iin": step_iin,
    "offer": step_offer,
    "recorded": step_recorded,
    "dequeued": step_dequeued,
    "error": step_error,
    "leave": step_leave,
    "agent_done": step_agent_done,
}


class UnknownCall(LookupError):
    pass


def step_run(*, name: str, call_sid: str, n: int, attempt: int, data: QueryDict) -> str:
    """Answer step ``name`` of the call once; a repeated request gets the stored TwiML."""
    key = f"{name}:{n}:{attempt}"
    with transaction.atomic():
        # The call's row lock serialises a call's requests, so a retry racing the first
        # waits for its answer instead of running the step again.
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("contact")
            .filter(call_sid=call_sid)
            .first()
        )
        if call is None:
            raise UnknownCall(call_sid)
        stored = CallStep.objects.filter(call_sid=call_sid, key=key).first()
        if stored is not None:
            return stored.response
        language = call.language or home_language(call.country)
        ctx = Ctx(call=call, data=data, attempt=attempt, speaker=Speaker(language))
        twiml = str(STEPS[name](ctx))
        CallStep.objects.create(call_sid=call_sid, key=key, response=twiml)
    return twiml


def wait_twiml(*, call_sid: str, data: QueryDict) -> str:
    """The queue's wait URL, polled by Twilio: place, expected wait, hold audio, a way out."""
    call = Call.objects.filter(call_sid=call_sid).first()
    speaker = Speaker((call.language if call else "") or "ru")
    response = VoiceResponse()
    position = _int(data.get("QueuePosition"))
    average = _int(data.get("AvgQueueTime"))
    waited = _int(data.get("QueueTime"))
    if position:
        speaker.prompt(response, "line_place")
        speaker.number(response, position)
        speaker.prompt(response, "line_minutes")
        speaker.number(response, max(1, math.ceil(average / 60)))
    if call is not None and waited >= settings.IVR_QUEUE_CALLBACK_OFFER_SECONDS:
        gather = response.gather(
            action=public_url("ivr:twilio-step", "leave", n=0, a=waited),
            method="POST",
            num_digits=1,
            timeout=5,
            input="dtmf",
        )
        speaker.prompt(gather, "line_offer_callback")
    if speaker.has_recording("hold_music"):
        speaker.prompt(response, "hold_music")
    else:
        response.pause(length=20)
    return str(response)


def bridged_twiml(call: Call | None) -> str:
    response = VoiceResponse()
    Speaker((call.language if call else "") or "ru").prompt(response, "connecting")
    return str(response)


def error_twiml(language: str = "ru", *, call_sid: str = "", stored: dict | None = None) -> str:
    """The apology with a call back on 1, for a failed step and the fallback URL."""
    response = VoiceResponse()
    speaker = Speaker(language, stored=stored)
    gather = response.gather(
        # Its own number each time (no call row is written here): never a stored step's replay.
        action=public_url("ivr:twilio-step", "error", n=0, a=time.time_ns()),
        method="POST",
        num_digits=1,
        timeout=8,
        input="dtmf",
    )
    speaker.prompt(gather, "error")
    speaker.prompt(response, "goodbye")
    response.hangup()
    return str(response)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
