"""The Telegram channel as the hub sees it: sending through the Bot API with its limits."""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from functools import cache

from django.conf import settings
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from channels_app.models import InboundDelivery, OutboundMessage
from channels_app.registry import (
    AmbiguousSendError,
    ChannelType,
    DeferredSend,
    PermanentSendError,
    SendResult,
    TemporarySendError,
)
from channels_app.texts import text_default
from crm.models import Identity

from .client import telegram_call, telegram_configured
from .dialogue import update_handle
from .ratelimit import SendScheduler
from .updates import HANDLED, update_kind

logger = logging.getLogger(__name__)

# A case notification carries a button to see the case; the number is in its text.
CASE_NUMBER = re.compile(r"\b(\d{4}-\d{6})\b")
CASE_BUTTON_TEXT = "tg_button_see_case"


@cache
def scheduler() -> SendScheduler:
    """This process's share of the Bot API's limits."""
    senders = max(1, settings.TELEGRAM_SENDERS)
    return SendScheduler(per_second=settings.TELEGRAM_MESSAGES_PER_SECOND / senders)


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # The library is moving this attribute from int to timedelta; both are read here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def reply_markup(message: OutboundMessage):
    """The buttons that go with the text: from the message's options, or for a case
    notification the button that shows the case."""
    markup = (message.options or {}).get("reply_markup")
    if markup:
        if "inline_keyboard" in markup:
            return InlineKeyboardMarkup.de_json(markup)
        return ReplyKeyboardMarkup.de_json(markup)
    if message.template_code.startswith("case_status"):
        found = CASE_NUMBER.search(message.body)
        if found:
            label = text_default(CASE_BUTTON_TEXT, message.language)
            return InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=f"case:{found.group(1)}")]]
            )
    return None


class TelegramChannel(ChannelType):
    slug = "telegram"
    identity_scheme = Identity.Scheme.TELEGRAM

    def inbound_process(self, delivery: InboundDelivery) -> None:
        """One stored update: the dialogue handles messages, buttons and blocks; other kinds
        (edited messages, polls...) stay stored as received and need nothing more."""

        if update_kind(delivery.payload) not in HANDLED:
            return
        delivery.interaction = update_handle(
            Update.de_json(delivery.payload, None), payload=delivery.payload
        )

    def can_deliver(self, address: str) -> bool:
        return bool(address) and address.lstrip("-").isdigit()

    def send(self, message: OutboundMessage) -> SendResult:
        if not telegram_configured():
            # Embedded default: the outbox row is the message; nothing leaves the machine.
            return SendResult(
                status=OutboundMessage.Status.DELIVERED,
                transport=OutboundMessage.Transport.LOCAL,
            )
        limits = scheduler()
        if not limits.wait_for(message.address, max_delay=settings.TELEGRAM_MAX_WAIT_SECONDS):
            raise DeferredSend(
                "rate_limit",
                "Held back by the Bot API's per-chat and overall limits.",
                retry_after=limits.next_free(message.address),
            )
        markup = reply_markup(message)
        try:
            sent = telegram_call(
                lambda bot: bot.send_message(
                    chat_id=int(message.address), text=message.body, reply_markup=markup
                )
            )
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            limits.pause(seconds, chat=message.address)
            raise TemporarySendError("429", str(exc), retry_after=seconds) from exc
        except Forbidden as exc:
            # "bot was blocked by the user" (or never started): they do not want our messages.
            raise PermanentSendError("403", str(exc)[:255], opted_out=True) from exc
        except BadRequest as exc:
            raise PermanentSendError("400", str(exc)[:255]) from exc
        except TimedOut as exc:
            # Telegram may have taken it; the Bot API cannot be asked, so it is resent later
            # only through reconciliation (which answers "not found").
            raise AmbiguousSendError("timeout", str(exc)[:255]) from exc
        except NetworkError as exc:
            raise TemporarySendError("network", str(exc)[:255]) from exc
        return SendResult(
            status=OutboundMessage.Status.DELIVERED,
            provider_message_id=f"tg:{sent.chat_id}:{sent.message_id}",
            transport=OutboundMessage.Transport.TELEGRAM,
        )
