"""Keyword commands a citizen can send on any text channel, answered in their language.

Channel adapters only recognise the keyword (``ChannelType.parse_command``); what the
command does is the same everywhere and lives here.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.labels import status_label
from cases.payments import payments_for_contact
from cases.selectors import case_by_number, cases_for_contact, queue_position
from cases.sla import schedule_for
from crm.countries import country_of
from crm.errors import DomainError
from crm.events import publish_after_commit
from crm.models import Contact, Conversation, Identity, Interaction

from .events import callback_requested
from .models import CallbackRequest, InboundReply
from .registry import ParsedCommand
from .texts import text_render

logger = logging.getLogger(__name__)

STATUS, QUEUE, CALL, HELP, STOP, START = "status", "queue", "call", "help", "stop", "start"
PAYMENTS = "payments"
COMMANDS = (STATUS, QUEUE, CALL, HELP, STOP, START, PAYMENTS)
MESSAGE = "message"  # free text for the agents, not a command

# A citizen writing five lines in a row gets one acknowledgement, not five SMS.
ACK_QUIET_PERIOD = dt.timedelta(minutes=30)
# Cases listed in one STATUS reply: each line costs SMS segments.
STATUS_LIST_LIMIT = 3


@dataclass(frozen=True)
class CommandContext:
    contact: Contact
    channel: str
    scheme: str
    address: str
    language: str
    interaction: Interaction
    conversation: Conversation | None


def command_execute(command: ParsedCommand | None, ctx: CommandContext) -> tuple[str, str | None]:
    """Run ``command`` (None for free text); returns (command name, reply text or None)."""
    if command is None:
        return MESSAGE, _acknowledge(ctx)
    handler = _HANDLERS[command.name]
    return command.name, handler(command, ctx)


def _opt_out(command: ParsedCommand, ctx: CommandContext) -> str:
    Identity.objects.filter(scheme=ctx.scheme, value=ctx.address, opted_out_at__isnull=True).update(
        opted_out_at=timezone.now()
    )
    return text_render("opted_out", ctx.language)


def _opt_in(command: ParsedCommand, ctx: CommandContext) -> str:
    Identity.objects.filter(scheme=ctx.scheme, value=ctx.address).update(opted_out_at=None)
    return text_render("opted_in", ctx.language)


def _help(command: ParsedCommand, ctx: CommandContext) -> str:
    return text_render("help", ctx.language)


def _status(command: ParsedCommand, ctx: CommandContext) -> str:
    if command.argument:
        case = _own_case(ctx.contact, command.argument)
        if case is None:
            return text_render("unknown_case", ctx.language, number=command.argument)
        return text_render(
            "status_one",
            ctx.language,
            number=case.number,
            status=status_label(case.status, ctx.language, case.service.workflow),
        )
    cases = list(cases_for_contact(contact=ctx.contact)[:STATUS_LIST_LIMIT])
    if not cases:
        return text_render("status_none", ctx.language)
    if len(cases) == 1:
        case = cases[0]
        return text_render(
            "status_one",
            ctx.language,
            number=case.number,
            status=status_label(case.status, ctx.language, case.service.workflow),
        )
    lines = "; ".join(
        f"{c.number} {status_label(c.status, ctx.language, c.service.workflow)}" for c in cases
    )
    return text_render("status_list", ctx.language, lines=lines)


def _own_case(contact: Contact, number: str):
    """The case with ``number`` if the sender is its beneficiary or applicant, else None.

    A stranger asking about someone else's case number gets the same answer as for a
    number that does not exist, so the reply does not even confirm the case exists.
    """
    try:
        case = case_by_number(number=number.strip().upper())
    except (ObjectDoesNotExist, DomainError, ValueError):
        return None
    if case is None or contact.pk not in (case.beneficiary_id, case.applicant_id):
        return None
    return case


def _queue(command: ParsedCommand, ctx: CommandContext) -> str:
    if command.argument:
        case = _own_case(ctx.contact, command.argument)
        if case is None:
            return text_render("unknown_case", ctx.language, number=command.argument)
        cases = [case]
    else:
        cases = list(cases_for_contact(contact=ctx.contact))
        if not cases:
            return text_render("status_none", ctx.language)
    replies = []
    for case in cases:
        position = queue_position(case=case)
        if position is not None:
            replies.append(
                text_render("queue_position", ctx.language, number=case.number, position=position)
            )
    return " ".join(replies) if replies else text_render("queue_none", ctx.language)


def _callback(command: ParsedCommand, ctx: CommandContext) -> str:
    phone = ctx.address if ctx.scheme == Identity.Scheme.PHONE else _phone_of(ctx.contact)
    callback = callback_request(
        contact=ctx.contact, channel=ctx.channel, phone=phone, interaction=ctx.interaction
    )
    due = timezone.localtime(callback.due_at).strftime("%H:%M")
    if timezone.localdate(callback.due_at) != timezone.localdate():
        due = timezone.localtime(callback.due_at).strftime("%Y-%m-%d %H:%M")
    return text_render(
        "callback_confirmed", ctx.language, phone=callback.phone or ctx.address, due=due
    )


def callback_due_at(*, country: str, at: dt.datetime) -> dt.datetime:
    """When a call back asked for at ``at`` is due: the country's callback time, counted in
    office hours on its working days (asked at 05:12, due two office hours after opening)."""

    schedule = schedule_for(country)
    return schedule.add_office_time(at, dt.timedelta(minutes=schedule.callback_minutes))


def callback_request(
    *,
    contact: Contact,
    channel: str,
    phone: str,
    interaction: Interaction | None,
    country: str | None = None,
) -> CallbackRequest:
    """The citizen's open call-back task, created (and announced) if there is none yet.

    ``country`` decides the office hours when the contact's address does not (a caller
    known only by their number).
    """

    callback = CallbackRequest.objects.filter(
        contact=contact, status=CallbackRequest.Status.OPEN
    ).first()
    if callback is not None:
        return callback
    try:
        with transaction.atomic():
            callback = CallbackRequest.objects.create(
                contact=contact,
                channel=channel,
                phone=phone,
                interaction=interaction,
                due_at=callback_due_at(
                    country=country or country_of(contact.address_unit), at=timezone.now()
                ),
            )
    except IntegrityError:
        return CallbackRequest.objects.get(contact=contact, status=CallbackRequest.Status.OPEN)
    publish_after_commit(
        callback_requested,
        sender=CallbackRequest,
        callback_id=callback.pk,
        contact_id=contact.pk,
        channel=channel,
    )
    return callback


def _phone_of(contact: Contact) -> str:
    identity = contact.identities.filter(scheme=Identity.Scheme.PHONE).first()
    return identity.value if identity else ""


def _acknowledge(ctx: CommandContext) -> str | None:
    if ctx.conversation is not None:
        recently_acked = InboundReply.objects.filter(
            inbound__conversation=ctx.conversation,
            command=MESSAGE,
            created_at__gte=timezone.now() - ACK_QUIET_PERIOD,
        ).exclude(reply_text="")
        if recently_acked.exists():
            return None
    return text_render("ack", ctx.language)


def _payments(command: ParsedCommand, ctx: CommandContext) -> str:
    """The months each allowance of the sender's has been paid, from approval to the stop."""

    paid = payments_for_contact(contact=ctx.contact)
    if not paid:
        return text_render("payments_none", ctx.language)
    lines = "; ".join(
        f"{p.case_number}: {p.months[0]:%Y-%m} - {p.months[-1]:%Y-%m}, "
        f"{p.monthly_amount:,.0f} {p.currency}"
        for p in paid
    )
    return text_render("payments_list", ctx.language, lines=lines)


_HANDLERS = {
    PAYMENTS: _payments,
    STATUS: _status,
    QUEUE: _queue,
    CALL: _callback,
    HELP: _help,
    STOP: _opt_out,
    START: _opt_in,
}
