"""A citizen at a kiosk: national ID, a one-time code on their phone or Telegram, a session.

The session key lives only in the touch page's memory (never in browser storage) and is sent
with each call; the server ends the session on "Finish", on the idle wipe, when the next
citizen starts, or by itself once nothing happened for longer than the page's own countdown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_app.models import OutboundMessage
from channels_app.outbound import message_send, suppression_reason
from channels_app.registry import ChannelType, channel_type_get
from crm.errors import ValidationFailed
from crm.models import Channel, Contact, Identity, Interaction
from crm.national_ids import NationalIdError, parse_national_id
from crm.services import contact_for_identity, interaction_record

from .errors import CodeExpired, NoAddressOnRecord, SessionEnded, TooManyCodes, WrongCode
from .masking import mask_address, mask_national_id
from .models import Kiosk, KioskSession
from .secrets import CITIZEN_CODE_DIGITS, code_hash, codes_match, digits_new, secret_hash, token_new

State = KioskSession.State
EndReason = KioskSession.EndReason

# Where a code may go, in this order after the citizen's preferred channel. A channel whose
# adapter is not installed is skipped.
CODE_CHANNELS = (Channel.SMS, Channel.TELEGRAM)
# The server's own margin over the page's idle countdown (a page that died never says goodbye).
SERVER_IDLE_MARGIN = dt.timedelta(seconds=15)


@dataclass(frozen=True)
class CodeSent:
    session: KioskSession
    key: str  # the session key, returned once to the page
    channel: str
    address_masked: str


def session_idle_limit() -> dt.timedelta:
    return (
        dt.timedelta(seconds=settings.KIOSK_IDLE_SECONDS + settings.KIOSK_COUNTDOWN_SECONDS)
        + SERVER_IDLE_MARGIN
    )


def _code_route(contact: Contact) -> tuple[ChannelType, str] | None:
    """The channel and address a code goes to: the preferred channel first, opted-out skipped."""
    order = sorted(CODE_CHANNELS, key=lambda slug: slug != contact.preferred_channel)
    for slug in order:
        try:
            channel_type = channel_type_get(slug)
        except LookupError:
            continue
        address = channel_type.address_for(contact)
        if not address:
            continue
        if suppression_reason(
            contact=contact,
            scheme=channel_type.identity_scheme,
            address=address,
            purpose=OutboundMessage.Purpose.REPLY,
        ):
            continue
        return channel_type, address
    return None


def _end_live_sessions(kiosk: Kiosk, reason: str) -> None:
    for session in KioskSession.objects.filter(kiosk=kiosk).exclude(state=State.ENDED):
        _end(session, reason)


@transaction.atomic
def kiosk_session_start(*, kiosk: Kiosk, national_id: str, language: str) -> CodeSent:
    """Send a one-time code to the citizen with this national ID; the kiosk's screen is theirs.

    Whoever was on the kiosk before is signed out first: one screen, one citizen.
    """
    try:
        parsed = parse_national_id(national_id)
    except NationalIdError as exc:
        raise ValidationFailed(str(exc), details={"national_id": [str(exc)]}) from exc
    contact = contact_for_identity(scheme=Identity.Scheme.NATIONAL_ID, value=parsed.value)
    if contact is None or (route := _code_route(contact)) is None:
        # Unknown and "no phone" read alike: the screen does not tell who is registered.
        raise NoAddressOnRecord(
            _(
                "We have no phone number or Telegram on record for this ID to send a code to. "
                "Please see a social worker at the office."
            )
        )
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    if (
        KioskSession.objects.filter(contact=contact, created_at__gte=hour_ago).count()
        >= settings.KIOSK_CODES_PER_HOUR
    ):
        raise TooManyCodes(
            _("Too many codes were sent for this ID in the last hour. Please try again later.")
        )
    _end_live_sessions(kiosk, EndReason.REPLACED)
    channel_type, address = route
    key = token_new()
    key_hash = secret_hash(key)
    code = digits_new(CITIZEN_CODE_DIGITS)
    ttl = settings.KIOSK_CODE_TTL_SECONDS
    session = KioskSession.objects.create(
        kiosk=kiosk,
        key_hash=key_hash,
        contact=contact,
        national_id_masked=mask_national_id(parsed.value),
        language=language,
        code_hash=code_hash(salt=key_hash, code=code),
        code_expires_at=timezone.now() + dt.timedelta(seconds=ttl),
        code_channel=channel_type.slug,
        code_address=address,
    )
    message_send(
        contact=contact,
        channel=channel_type.slug,
        address=address,
        template_code="kiosk_code",
        context={"otp": code, "minutes": max(1, ttl // 60)},
        language=language,
        # The citizen asked for it at the kiosk: an answer, not a notification.
        purpose=OutboundMessage.Purpose.REPLY,
        dedupe_key=f"kiosk-code:{session.pk}",
    )
    return CodeSent(
        session=session,
        key=key,
        channel=channel_type.slug,
        address_masked=mask_address(channel_type.slug, address),
    )


def _session_for_key(kiosk: Kiosk, key: str, *, lock: bool = False) -> KioskSession | None:
    if not key or len(key) > 200:
        return None
    qs = KioskSession.objects.select_related("contact", "kiosk")
    if lock:
        qs = qs.select_for_update()
    return qs.filter(kiosk=kiosk, key_hash=secret_hash(key)).first()


def kiosk_session_verify(*, kiosk: Kiosk, key: str, code: str) -> KioskSession:
    """Check the code: right opens the session; wrong counts; expired or used up ends it.

    A wrong try is committed before the error is raised, so the attempt limit holds.
    """
    with transaction.atomic():
        session = _session_for_key(kiosk, key, lock=True)
        error = _code_check(session, code)
        if error is None:
            _open(session)
    if error is not None:
        raise error
    return session


def _code_check(session: KioskSession | None, code: str) -> Exception | None:
    if session is None or session.state != State.CODE_SENT:
        return CodeExpired(_("This code can no longer be used. Please start again."))
    if session.code_expires_at < timezone.now():
        _end(session, EndReason.EXPIRED)
        return CodeExpired(_("The code has expired. Please start again to get a new one."))
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    if codes_match(session.code_hash, salt=session.key_hash, code=code):
        return None
    session.code_attempts += 1
    left = settings.KIOSK_CODE_MAX_ATTEMPTS - session.code_attempts
    if left <= 0:
        _end(session, EndReason.LOCKED, fields=["code_attempts"])
        return CodeExpired(_("Too many wrong codes. Please start again to get a new one."))
    session.save(update_fields=["code_attempts"])
    return WrongCode(
        _("The code is not right. Tries left: %(left)s.") % {"left": left},
        details={"code": ["wrong"], "attempts_left": left},
    )


def _open(session: KioskSession) -> None:
    now = timezone.now()
    kiosk = session.kiosk
    session.state = State.ACTIVE
    session.verified_at = session.last_activity_at = now
    session.code_hash = ""  # single use
    _code_message_redact(session)
    session.visit = interaction_record(
        contact=session.contact,
        channel=Channel.KIOSK,
        direction=Interaction.Direction.INBOUND,
        kind=Interaction.Kind.KIOSK_VISIT,
        body=_("Kiosk visit: %(kiosk)s") % {"kiosk": kiosk.name},
        payload={"kiosk": kiosk.pk, "unit": kiosk.unit_id, "actions": []},
    )
    session.save(update_fields=["state", "verified_at", "last_activity_at", "code_hash", "visit"])


def _end(session: KioskSession, reason: str, *, fields: list[str] | None = None) -> None:
    session.state = State.ENDED
    session.end_reason = reason
    session.ended_at = timezone.now()
    session.save(update_fields=["state", "end_reason", "ended_at", *(fields or [])])
    _code_message_redact(session)


def _code_message_redact(session: KioskSession) -> None:
    """Once a code is used up, its text leaves the outbox and the timeline.

    Agents read both; a live code there would let anyone at a desk open the citizen's data at
    a kiosk. The row itself stays, so the timeline still shows that a code was sent.
    """
    hidden = _("One-time kiosk code (hidden once used or expired)")
    messages = OutboundMessage.objects.filter(dedupe_key=f"kiosk-code:{session.pk}")
    Interaction.objects.filter(
        pk__in=messages.exclude(interaction=None).values("interaction")
    ).update(body=hidden)
    messages.update(body=hidden)


def kiosk_session_active(*, kiosk: Kiosk, key: str) -> KioskSession:
    """The identified citizen's session on this kiosk, kept alive by this call, or SessionEnded."""
    session = _session_for_key(kiosk, key)
    ended = SessionEnded(_("Your session has ended. Please identify again."))
    if session is None or session.state != State.ACTIVE:
        raise ended
    now = timezone.now()
    if now - session.last_activity_at > session_idle_limit():
        KioskSession.objects.filter(pk=session.pk, state=State.ACTIVE).update(
            state=State.ENDED, end_reason=EndReason.EXPIRED, ended_at=now
        )
        raise ended
    KioskSession.objects.filter(pk=session.pk).update(last_activity_at=now)
    session.last_activity_at = now
    return session


@transaction.atomic
def kiosk_session_end(*, kiosk: Kiosk, key: str, reason: str = EndReason.FINISHED) -> bool:
    """End the session behind ``key`` (Finish or the idle wipe); False when none was live."""
    session = _session_for_key(kiosk, key, lock=True)
    if session is None or session.state == State.ENDED:
        return False
    _end(session, reason)
    return True


def kiosk_visit_note(*, session: KioskSession, action: str, **details: object) -> None:
    """Add what the citizen did to the visit's line on their timeline."""
    if not session.visit_id:
        return
    with transaction.atomic():
        visit = Interaction.objects.select_for_update().get(pk=session.visit_id)
        payload = dict(visit.payload or {})
        payload.setdefault("actions", []).append({"action": action, **details})
        visit.payload = payload
        visit.save(update_fields=["payload"])
