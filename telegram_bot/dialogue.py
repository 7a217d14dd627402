"""What the bot does with one update: the menu, identification, the guided application and
free text for the agents.

Everything a citizen sends lands on their timeline first. The dialogue's state is the
``TelegramChat`` row, locked while an update is handled, so several workers and restarts see
one conversation. Replies go through the outbox (``message_send``), which applies opt-out,
retries and the Bot API's rate limits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.util import find_spec

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)

from cases.intake import (
    RELATIONSHIPS_ON_BEHALF,
    intake_document_attach,
    intake_missing_documents,
    intake_person_preview,
    intake_services,
    intake_submit,
)
from cases.labels import status_label
from cases.models import Case, RequiredDocument, Service
from cases.status_links import case_for_status_token
from channels_app.commands import (
    ACK_QUIET_PERIOD,
    CALL,
    PAYMENTS,
    QUEUE,
    STATUS,
    CommandContext,
    command_execute,
)
from channels_app.models import OutboundMessage
from channels_app.outbound import message_send
from channels_app.registry import ParsedCommand
from channels_app.texts import text_render
from crm.errors import DomainError
from crm.models import Contact, Conversation, Identity, Interaction, Language
from crm.services import (
    contact_get_or_create_by_identity,
    inbound_message_record,
)

from .client import telegram_call, telegram_configured
from .identify import identify_by_contact, is_identified
from .media import MediaError, media_download
from .models import TelegramChat, TelegramFile

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
Step = TelegramChat.Step
LANGUAGES = [code for code, _label in Language.choices]
MENU = (
    "tg_menu_cases",
    "tg_menu_queue",
    "tg_menu_payments",
    "tg_menu_apply",
    "tg_menu_callback",
    "tg_menu_agent",
)
# Commands typed (or picked from Telegram's "/" list) that do what a menu button does.
SLASH_COMMANDS = {
    "/status": "tg_menu_cases",
    "/queue": "tg_menu_queue",
    "/payments": "tg_menu_payments",
}
# Menu buttons answered by the keyword command every text channel shares (SMS, Telegram).
MENU_COMMANDS = {
    "tg_menu_cases": STATUS,
    "tg_menu_queue": QUEUE,
    "tg_menu_payments": PAYMENTS,
    "tg_menu_callback": CALL,
}
REASON_LIMIT = 500
RELATIONSHIP_TEXTS = {value: f"tg_rel_{value}" for value in RELATIONSHIPS_ON_BEHALF}


@dataclass
class Turn:
    """One update being handled: who, where, in which language, and what it was."""

    update: Update
    update_id: int
    chat: TelegramChat  # locked for the update
    contact: Contact
    language: str
    interaction: Interaction | None = None

    @property
    def address(self) -> str:
        return str(self.chat.user_id)

    def text(self, code: str, **context: object) -> str:
        return text_render(code, self.language, **context)


# --- entry -------------------------------------------------------------------------------


def update_handle(update: Update, *, payload: dict) -> Interaction | None:
    """Handle one update (in the caller's transaction); returns the citizen's timeline entry.

    Only private chats are served; a group the bot was added to is stored and left alone.
    """
    if update.message is not None:
        message = update.message
        if message.chat.type != "private" or message.from_user is None:
            return None
        turn = _turn(update, message.from_user, message.chat.id)
        _handle_message(turn, message, payload)
        return turn.interaction
    if update.callback_query is not None:
        query = update.callback_query
        chat_id = query.message.chat.id if query.message else query.from_user.id
        turn = _turn(update, query.from_user, chat_id)
        _handle_callback(turn, query, payload)
        _answer_callback_after_commit(query.id)
        return turn.interaction
    if update.my_chat_member is not None:
        member = update.my_chat_member
        if member.chat.type == "private":
            _membership_changed(str(member.from_user.id), member.new_chat_member.status)
    return None


def _turn(update: Update, user, chat_id: int) -> Turn:
    contact, _created = contact_get_or_create_by_identity(
        scheme=Identity.Scheme.TELEGRAM, value=str(user.id)
    )
    chat, _ = TelegramChat.objects.get_or_create(user_id=user.id, defaults={"chat_id": chat_id})
    chat = TelegramChat.objects.select_for_update().get(pk=chat.pk)
    if chat.contact_id != contact.pk or chat.chat_id != chat_id:
        chat.contact = contact
        chat.chat_id = chat_id
        chat.save(update_fields=["contact", "chat_id", "updated_at"])
    language = chat.language or contact.preferred_language
    if not language and user.language_code:
        # Until they choose, answer in the language their Telegram app uses, if we speak it.
        code = user.language_code.split("-")[0]
        language = code if code in LANGUAGES else ""
    return Turn(update, update.update_id, chat, contact, language or contact.language)


# --- messages ----------------------------------------------------------------------------


def _handle_message(turn: Turn, message: Message, payload: dict) -> None:
    text = (message.text or "").strip()
    if message.contact is not None:
        _record(turn, f"📱 {message.contact.phone_number}", payload)
        _identify(turn, message)
        return
    if message.photo or message.document:
        _file(turn, message, payload)
        return
    if text.startswith("/start"):
        _record(turn, text, payload)
        _start(turn, text.partition(" ")[2].strip())
        return
    if text == "/cancel":
        _record(turn, text, payload)
        _reset(turn)
        _reply(turn, turn.text("tg_cancelled"), _menu(turn))
        return
    if text == "/language" or text in _labels("tg_menu_language"):
        _record(turn, text, payload)
        _ask_language(turn)
        return
    menu_choice = SLASH_COMMANDS.get(text.split("@", 1)[0]) or next(
        (code for code in MENU if text in _labels(code)), None
    )
    if menu_choice:
        _record(turn, text, payload)
        _menu_choice(turn, menu_choice)
        return
    if turn.chat.step == Step.NATIONAL_ID and text:
        _record(turn, text, payload)
        _national_id(turn, text)
        return
    if turn.chat.step == Step.REASON and text:
        _record(turn, text, payload)
        _reason(turn, text)
        return
    if text:
        _to_agents(turn, text, payload)
        return
    _record(turn, "", payload)
    _reply(turn, turn.text("tg_unsupported"))


def _record(turn: Turn, body: str, payload: dict, *, for_agents: bool = False) -> None:
    """The citizen's message on their timeline (and in the inbox when it is for the agents)."""
    result = inbound_message_record(
        channel=CHANNEL,
        scheme=Identity.Scheme.TELEGRAM,
        address=turn.address,
        body=body,
        provider_message_id=str(turn.update_id),
        payload=payload,
        open_conversation=for_agents,
    )
    turn.interaction = result.interaction
    turn.contact = result.contact


def _to_agents(turn: Turn, body: str, payload: dict) -> None:
    _record(turn, body, payload, for_agents=True)
    conversation = turn.interaction.conversation
    recently = Interaction.objects.filter(
        conversation=conversation,
        direction=Interaction.Direction.OUTBOUND,
        occurred_at__gte=timezone.now() - ACK_QUIET_PERIOD,
    ).exists()
    if not recently:
        _reply(turn, turn.text("ack"), conversation=conversation)


def _file(turn: Turn, message: Message, payload: dict) -> None:
    caption = (message.caption or "").strip()
    name = message.document.file_name if message.document else "photo.jpg"
    body = f"📎 {name}" + (f": {caption}" if caption else "")
    if turn.chat.step != Step.DOCUMENTS:
        # A photo or document for the agents: it shows in the conversation.
        _to_agents(turn, body, payload)
        _keep_for_agents(turn, message)
        return
    _record(turn, body, payload)
    case = Case.objects.filter(pk=turn.chat.data.get("case_id")).first()
    if case is None:
        _reset(turn)
        return
    required = RequiredDocument.objects.filter(
        pk=turn.chat.data.get("document_id"), service_id=case.service_id
    ).first()
    try:
        name, content = media_download(message)
        intake_document_attach(
            case=case, file=SimpleUploadedFile(name, content), required_document=required
        )
    except (MediaError, DomainError) as exc:
        logger.info("telegram document for %s refused: %s", case.number, exc)
        _reply(turn, turn.text("tg_apply_document_bad"))
        return
    label = required.name_in(turn.language) if required else turn.text("tg_apply_document_other")
    turn.chat.data.pop("document_id", None)
    turn.chat.save(update_fields=["data", "updated_at"])
    _reply(turn, turn.text("tg_apply_document_ok", document=label), _documents_keyboard(turn, case))


def _keep_for_agents(turn: Turn, message: Message) -> None:
    """Fetch the file now, so the console shows it (a Telegram file id is the bot's alone)."""
    if not telegram_configured():
        return  # the embedded default cannot fetch from Telegram; the timeline says a file came
    try:
        name, content = media_download(message)
    except MediaError as exc:
        logger.info("telegram file not kept: %s", exc)
        return
    content_type = message.document.mime_type if message.document else "image/jpeg"
    kept = TelegramFile.objects.create(
        interaction=turn.interaction,
        file=ContentFile(content, name=name),
        original_name=name[:255],
        content_type=(content_type or "")[:50],
        size=len(content),
    )
    payload = dict(turn.interaction.payload)
    payload["attachments"] = [{"name": name, "url": reverse("telegram_bot:file", args=[kept.pk])}]
    Interaction.objects.filter(pk=turn.interaction.pk).update(payload=payload)


# --- /start, language, menu --------------------------------------------------------------


def _start(turn: Turn, start_payload: str) -> None:
    # /start again after blocking the bot: they want to hear from us again.
    Identity.objects.filter(
        scheme=Identity.Scheme.TELEGRAM, value=turn.address, opted_out_at__isnull=False
    ).update(opted_out_at=None)
    _reset(turn)
    if start_payload:
        turn.chat.data["start_payload"] = start_payload
        turn.chat.save(update_fields=["data", "updated_at"])
    if not (turn.chat.language or turn.contact.preferred_language):
        _ask_language(turn)
        return
    _welcome(turn)


def _welcome(turn: Turn) -> None:
    start_payload = turn.chat.data.pop("start_payload", "")
    if start_payload:
        turn.chat.save(update_fields=["data", "updated_at"])
        _ticket_status(turn, start_payload)
        return
    _reply(turn, turn.text("tg_welcome"), _menu(turn))


def _ticket_status(turn: Turn, token: str) -> None:
    """A kiosk ticket's link: that case's status, nothing personal, and an offer to identify."""
    case = _case_for_ticket(token)
    if case is None:
        _reply(turn, turn.text("tg_ticket_unknown"), _menu(turn))
        return
    status = status_label(case.status, turn.language)
    _reply(
        turn,
        turn.text("tg_ticket_status", number=case.number, status=status),
        _share_phone_keyboard(turn),
    )


def _case_for_ticket(token: str) -> Case | None:
    """The case a kiosk ticket's public status token opens (None: unknown or revoked)."""
    if find_spec("cases.status_links") is None:
        return None  # this installation issues no status links

    return case_for_status_token(token=token)


def _ask_language(turn: Turn) -> None:
    names = {"mn": "Монгол", "kk": "Қазақша", "ru": "Русский", "en": "English"}
    buttons = [[InlineKeyboardButton(names[code], callback_data=f"lang:{code}")] for code in names]
    _reply(turn, turn.text("tg_choose_language"), InlineKeyboardMarkup(buttons))


def _menu_choice(turn: Turn, code: str) -> None:
    if code == "tg_menu_apply":
        _apply_start(turn)
        return
    if code == "tg_menu_agent":
        _reply(turn, turn.text("tg_agent_prompt"))
        return
    if not is_identified(contact=turn.contact, user_id=turn.address):
        _reply(turn, turn.text("tg_identify_first"), _share_phone_keyboard(turn))
        return
    _name, answer = command_execute(
        ParsedCommand(MENU_COMMANDS[code]),
        CommandContext(
            contact=turn.contact,
            channel=CHANNEL,
            scheme=Identity.Scheme.TELEGRAM,
            address=turn.address,
            language=turn.language,
            interaction=turn.interaction,
            conversation=None,
        ),
    )
    if answer:
        _reply(turn, answer, _menu(turn))


# --- identification ----------------------------------------------------------------------


def _identify(turn: Turn, message: Message) -> None:
    shared = message.contact
    if shared.user_id != message.from_user.id:
        # Someone else's contact card: never linked to this sender.
        _reply(turn, turn.text("tg_contact_not_own"), _share_phone_keyboard(turn))
        return
    outcome = identify_by_contact(
        contact=turn.contact,
        user_id=turn.address,
        phone_number=shared.phone_number,
        interaction=turn.interaction,
    )
    turn.contact = outcome.contact
    if outcome.linked:
        _reply(turn, turn.text("tg_identified", phone=outcome.phone), _menu(turn))
    elif outcome.review:
        _reply(turn, turn.text("tg_identify_review"), _menu(turn))
    else:
        _reply(turn, turn.text("tg_contact_not_own"), _share_phone_keyboard(turn))


def _membership_changed(user_id: str, status: str) -> None:
    """The citizen blocked the bot (kicked) or unblocked it (member)."""
    identities = Identity.objects.filter(scheme=Identity.Scheme.TELEGRAM, value=user_id)
    if status == "kicked":
        identities.filter(opted_out_at__isnull=True).update(opted_out_at=timezone.now())
    elif status == "member":
        identities.update(opted_out_at=None)


# --- the guided application --------------------------------------------------------------


def _apply_start(turn: Turn) -> None:
    _reset(turn)
    services = list(_catalogue(turn))
    if not services:
        _reply(turn, turn.text("tg_apply_no_services"), _menu(turn))
        return
    lines = [turn.text("tg_apply_service")]
    buttons = []
    for index, service in enumerate(services, start=1):
        name = service.name_in(turn.language)
        lines.append(f"{index}. {name}")
        short = name if len(name) <= 40 else name[:39] + "…"
        buttons.append(
            [InlineKeyboardButton(f"{index}. {short}", callback_data=f"svc:{service.pk}")]
        )
    _step(turn, Step.SERVICE)
    _reply(turn, "\n".join(lines), InlineKeyboardMarkup(buttons))


def _catalogue(turn: Turn):
    """The applicant's country's services: their unit's, else the one their language says
    (Kazakh), else the deployment's; the person's own unit is checked when the case opens."""
    unit = turn.contact.address_unit
    country = None if unit is not None or turn.language != "kk" else "KZ"
    return intake_services(unit=unit, country=country)


def _handle_callback(turn: Turn, query, payload: dict) -> None:
    data = query.data or ""
    label = _button_label(query, data)
    _record(turn, f"▸ {label}" if label else data, payload)
    kind, _sep, value = data.partition(":")
    step = turn.chat.step
    if kind == "lang" and value in LANGUAGES:
        _set_language(turn, value)
    elif kind == "case":
        _case_status(turn, value)
    elif kind == "svc" and step == Step.SERVICE:
        service = _catalogue(turn).filter(pk=value).first() if value.isdigit() else None
        if service is None:
            _apply_start(turn)
            return
        turn.chat.data["service_id"] = service.pk
        _step(turn, Step.FOR_WHOM)
        _reply(
            turn,
            turn.text("tg_apply_for_whom"),
            _inline([("tg_button_self", "for:self"), ("tg_button_other", "for:other")], turn),
        )
    elif kind == "for" and step == Step.FOR_WHOM:
        if value == "self":
            turn.chat.data["relationship"] = ""
            _ask_consent(turn)
        else:
            _step(turn, Step.RELATIONSHIP)
            choices = [(code, f"rel:{value}") for value, code in RELATIONSHIP_TEXTS.items()]
            _reply(turn, turn.text("tg_apply_relationship"), _inline(choices, turn))
    elif kind == "rel" and step == Step.RELATIONSHIP and value in RELATIONSHIP_TEXTS:
        turn.chat.data["relationship"] = value
        _ask_consent(turn)
    elif kind == "consent" and step == Step.CONSENT:
        if value != "yes":
            _reset(turn)
            _reply(turn, turn.text("tg_apply_no_consent"), _menu(turn))
            return
        turn.chat.data["consent"] = {
            "update_id": turn.update_id,
            "question": turn.chat.data.get("consent_question", ""),
            "answer": label,
            "answered_at": timezone.now().isoformat(),
            "telegram_user_id": turn.address,
        }
        _step(turn, Step.NATIONAL_ID)
        other = bool(turn.chat.data.get("relationship"))
        _reply(
            turn, turn.text("tg_apply_national_id_other" if other else "tg_apply_national_id_self")
        )
    elif kind == "person" and step == Step.CONFIRM_PERSON:
        if value == "yes":
            _step(turn, Step.REASON)
            _reply(turn, turn.text("tg_apply_reason"))
        else:
            _step(turn, Step.NATIONAL_ID)
            other = bool(turn.chat.data.get("relationship"))
            _reply(
                turn,
                turn.text("tg_apply_national_id_other" if other else "tg_apply_national_id_self"),
            )
    elif kind == "doc" and step == Step.DOCUMENTS and value.isdigit():
        required = RequiredDocument.objects.filter(pk=int(value)).first()
        if required is not None:
            turn.chat.data["document_id"] = required.pk
            turn.chat.save(update_fields=["data", "updated_at"])
            _reply(
                turn,
                turn.text("tg_apply_document_which", document=required.name_in(turn.language)),
            )
    elif kind == "done" and step == Step.DOCUMENTS:
        _apply_finish(turn)
    # Anything else is a button of an earlier message, pressed after the dialogue moved on.


def _ask_consent(turn: Turn) -> None:
    other = bool(turn.chat.data.get("relationship"))
    question = turn.text("tg_apply_consent_other" if other else "tg_apply_consent_self")
    turn.chat.data["consent_question"] = question
    _step(turn, Step.CONSENT)
    _reply(
        turn,
        question,
        _inline([("tg_button_yes_agree", "consent:yes"), ("tg_button_no", "consent:no")], turn),
    )


def _national_id(turn: Turn, text: str) -> None:
    with translation.override(turn.language):
        try:
            preview = intake_person_preview(national_id=text)
        except DomainError as exc:
            _reply(turn, turn.text("tg_apply_bad_id", error=exc.message))
            return
    turn.chat.data["national_id"] = preview.national_id
    _step(turn, Step.CONFIRM_PERSON)
    _reply(
        turn,
        turn.text("tg_apply_confirm_person", name=preview.masked_name),
        _inline([("tg_button_yes", "person:yes"), ("tg_button_no", "person:no")], turn),
    )


def _reason(turn: Turn, text: str) -> None:
    if len(text) > REASON_LIMIT:
        _reply(turn, turn.text("tg_apply_reason_length", limit=REASON_LIMIT))
        return
    data = turn.chat.data
    service = Service.objects.filter(pk=data.get("service_id")).first()
    try:
        with translation.override(turn.language), transaction.atomic():
            if service is None:
                raise DomainError(turn.text("tg_apply_no_services"))
            result = intake_submit(
                applicant=turn.contact,
                service=service,
                channel=CHANNEL,
                consent_confirmed="consent" in data,
                beneficiary_national_id=data.get("national_id", ""),
                relationship=data.get("relationship", ""),
                reason=text,
                consent_evidence=data.get("consent"),
                origin_interaction=turn.interaction,
            )
    except DomainError as exc:
        _reset(turn)
        _reply(turn, turn.text("tg_apply_failed", error=exc.message), _menu(turn))
        return
    case = result.case
    turn.chat.data = {"case_id": case.pk}
    _step(turn, Step.DOCUMENTS)
    _reply(
        turn,
        turn.text("tg_apply_created", number=case.number, unit=case.unit.name),
        _documents_keyboard(turn, case),
    )


def _apply_finish(turn: Turn) -> None:
    case = Case.objects.select_related("unit").filter(pk=turn.chat.data.get("case_id")).first()
    _reset(turn)
    if case is None:
        _reply(turn, turn.text("tg_welcome"), _menu(turn))
        return
    missing = intake_missing_documents(case=case)
    if missing:
        names = "; ".join(d.name_in(turn.language) for d in missing)
        text = turn.text(
            "tg_apply_done_missing", number=case.number, unit=case.unit.name, documents=names
        )
    else:
        text = turn.text("tg_apply_done_complete", number=case.number, unit=case.unit.name)
    _reply(turn, text, _menu(turn))


def _documents_keyboard(turn: Turn, case: Case) -> InlineKeyboardMarkup:
    rows = []
    for required in intake_missing_documents(case=case):
        name = required.name_in(turn.language)
        short = name if len(name) <= 40 else name[:39] + "…"
        rows.append([InlineKeyboardButton(short, callback_data=f"doc:{required.pk}")])
    rows.append([InlineKeyboardButton(turn.text("tg_button_done"), callback_data="done")])
    return InlineKeyboardMarkup(rows)


def _case_status(turn: Turn, number: str) -> None:
    """The button under a notification: the same rule as the SMS STATUS keyword."""
    if not is_identified(contact=turn.contact, user_id=turn.address):
        _reply(turn, turn.text("tg_identify_first"), _share_phone_keyboard(turn))
        return
    _name, answer = command_execute(
        ParsedCommand(STATUS, argument=number),
        CommandContext(
            contact=turn.contact,
            channel=CHANNEL,
            scheme=Identity.Scheme.TELEGRAM,
            address=turn.address,
            language=turn.language,
            interaction=turn.interaction,
            conversation=None,
        ),
    )
    if answer:
        _reply(turn, answer)


def _set_language(turn: Turn, language: str) -> None:
    turn.language = language
    turn.chat.language = language
    turn.chat.save(update_fields=["language", "updated_at"])
    if turn.contact.preferred_language != language:
        turn.contact.preferred_language = language
        turn.contact.save(update_fields=["preferred_language", "updated_at"])
    _reply(turn, turn.text("tg_language_set"))
    _welcome(turn)


# --- small helpers -----------------------------------------------------------------------


def _step(turn: Turn, step: str) -> None:
    turn.chat.step = step
    turn.chat.save(update_fields=["step", "data", "updated_at"])


def _reset(turn: Turn) -> None:
    keep = {k: v for k, v in turn.chat.data.items() if k == "start_payload"}
    turn.chat.step = Step.IDLE
    turn.chat.data = keep
    turn.chat.save(update_fields=["step", "data", "updated_at"])


def _labels(code: str) -> set[str]:
    return {text_render(code, language) for language in LANGUAGES}


def _button_label(query, data: str) -> str:
    markup = query.message.reply_markup if query.message else None
    for row in getattr(markup, "inline_keyboard", None) or ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return ""


def _inline(choices: list[tuple[str, str]], turn: Turn) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(turn.text(code), callback_data=data)] for code, data in choices]
    )


def _menu(turn: Turn) -> ReplyKeyboardMarkup:
    t = turn.text
    return ReplyKeyboardMarkup(
        [
            [t("tg_menu_cases"), t("tg_menu_queue")],
            [t("tg_menu_payments"), t("tg_menu_apply")],
            [t("tg_menu_callback"), t("tg_menu_agent")],
            [t("tg_menu_language")],
        ],
        resize_keyboard=True,
    )


def _share_phone_keyboard(turn: Turn) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(turn.text("tg_button_share_phone"), request_contact=True)],
            [turn.text("tg_menu_agent"), turn.text("tg_menu_language")],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def _reply(
    turn: Turn, body: str, markup=None, *, conversation: Conversation | None = None
) -> OutboundMessage:
    return message_send(
        contact=turn.contact,
        channel=CHANNEL,
        address=str(turn.chat.chat_id),
        body=body,
        language=turn.language,
        purpose=OutboundMessage.Purpose.REPLY,
        conversation=conversation,
        options={"reply_markup": markup.to_dict()} if markup is not None else None,
    )


def _answer_callback_after_commit(query_id: str) -> None:
    """Stop the button's spinner in the citizen's app (a best effort, after commit)."""

    if not telegram_configured():
        return

    def answer() -> None:
        try:
            telegram_call(lambda bot: bot.answer_callback_query(query_id))
        except Exception:
            logger.warning("answerCallbackQuery %s failed", query_id, exc_info=True)

    transaction.on_commit(answer)
