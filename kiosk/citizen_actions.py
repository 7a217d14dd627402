"""What an identified citizen can ask for at a kiosk besides reading: a call back, a question."""

from __future__ import annotations

from django.utils.translation import gettext as _

from channels_app.commands import CALL, CommandContext, command_execute
from channels_app.registry import ParsedCommand, channel_type_get
from crm.errors import ValidationFailed
from crm.models import Channel, Identity, Interaction
from crm.services import inbound_message_record

from .citizen_sessions import kiosk_visit_note
from .models import KioskSession

QUESTION_MAX_CHARS = 1000


def _scheme_of(session: KioskSession) -> str:
    try:
        return channel_type_get(session.code_channel).identity_scheme
    except LookupError:
        return Identity.Scheme.PHONE


def kiosk_callback_request(*, session: KioskSession) -> str:
    """A call-back task for the agents (the same one the CALL keyword makes); the answer text."""

    visit = Interaction.objects.get(pk=session.visit_id)
    _name, reply = command_execute(
        ParsedCommand(name=CALL, language=session.language),
        CommandContext(
            contact=session.contact,
            channel=Channel.KIOSK,
            scheme=_scheme_of(session),
            address=session.code_address,
            language=session.language,
            interaction=visit,
            conversation=None,
        ),
    )
    kiosk_visit_note(session=session, action="callback")
    return reply or ""


def kiosk_question_leave(*, session: KioskSession, text: str, request_id: str) -> None:
    """The citizen's question lands in the agents' inbox as a kiosk conversation.

    ``request_id`` (made by the page per question) turns a double tap or a retried request
    into the one stored message.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write your question first."), details={"text": ["empty"]})
    if len(text) > QUESTION_MAX_CHARS:
        raise ValidationFailed(
            _("Please keep the question under %(n)s characters.") % {"n": QUESTION_MAX_CHARS},
            details={"text": ["too long"]},
        )
    request_id = "".join(ch for ch in str(request_id or "") if ch.isalnum() or ch == "-")[:40]
    result = inbound_message_record(
        channel=Channel.KIOSK,
        scheme=_scheme_of(session),
        address=session.code_address,
        body=text,
        provider_message_id=f"kiosk-{session.pk}-{request_id}" if request_id else None,
        payload={"kiosk": session.kiosk_id, "kiosk_name": session.kiosk.name},
    )
    if result.created:
        kiosk_visit_note(session=session, action="question", interaction=result.interaction.pk)
