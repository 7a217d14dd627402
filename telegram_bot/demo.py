"""Demo data of the Telegram bot: a grandson writing on Telegram, waiting in the inbox."""

from __future__ import annotations

from crm.models import Identity
from crm.services import inbound_message_record

from .models import TelegramChat

DEMO_USER_ID = 5120458830


def seed(context) -> None:
    # The provider id makes it idempotent: a second seed finds the stored message.
    result = inbound_message_record(
        channel="telegram",
        scheme=Identity.Scheme.TELEGRAM,
        address=str(DEMO_USER_ID),
        body="Сайн байна уу, эмээгийнхээ асаргааны тэтгэмжийг хэрхэн хүсэх вэ?",
        provider_message_id="demo-telegram-1",
        payload={"demo": True},
    )
    TelegramChat.objects.get_or_create(
        user_id=DEMO_USER_ID,
        defaults={"chat_id": DEMO_USER_ID, "contact": result.contact, "language": "mn"},
    )
    if not result.contact.preferred_language:
        result.contact.preferred_language = "mn"
        result.contact.save(update_fields=["preferred_language", "updated_at"])
    context.notes.append(
        "Telegram without Telegram: start the server with TELEGRAM_WEBHOOK_SECRET=dev-secret, "
        "then TELEGRAM_WEBHOOK_SECRET=dev-secret python manage.py telegram_simulate /start "
        "(the bot's answers land in the outbox; --callback lang:mn, --contact +976...)."
    )
