"""Register the bot's webhook with Telegram and show what Telegram reports about it."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from telegram.error import TelegramError

from telegram_bot.bot_commands import command_lists, commands_register
from telegram_bot.client import telegram_call, telegram_configured

WEBHOOK_PATH = "/telegram/webhook"
# The update kinds the bot acts on or records; Telegram sends nothing else.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


class Command(BaseCommand):
    help = (
        "set: register PUBLIC_BASE_URL/telegram/webhook with the secret and the allowed update "
        "types, and the bot's command list in each language; commands: the command list "
        "alone (after rewording a menu text); info: Telegram's view of the webhook (pending "
        "updates, last error); delete."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["set", "commands", "info", "delete"])
        parser.add_argument("--url", default="", help="default: PUBLIC_BASE_URL + the path")
        parser.add_argument(
            "--drop-pending", action="store_true", help="discard updates Telegram still holds"
        )
        parser.add_argument("--json", action="store_true", help="info as JSON")

    def handle(self, *args, **options) -> None:
        if not telegram_configured():
            raise CommandError("Set TELEGRAM_BOT_TOKEN (from @BotFather) first.")
        try:
            getattr(self, f"_{options['action']}")(options)
        except TelegramError as exc:
            raise CommandError(f"Telegram refused: {exc}") from exc

    def _set(self, options) -> None:
        secret = settings.TELEGRAM_WEBHOOK_SECRET
        if not secret:
            raise CommandError(
                "Set TELEGRAM_WEBHOOK_SECRET: without it the webhook refuses every update."
            )
        url = options["url"] or settings.PUBLIC_BASE_URL + WEBHOOK_PATH
        if not url.startswith("https://"):
            raise CommandError(f"Telegram calls only https:// webhooks; {url} is not one.")
        telegram_call(
            lambda bot: bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=options["drop_pending"],
            )
        )
        self.stdout.write(f"Webhook set: {url} ({', '.join(ALLOWED_UPDATES)})")
        self._commands(options)

    def _commands(self, options) -> None:
        lists = command_lists()
        telegram_call(lambda bot: commands_register(bot, lists))
        names = ", ".join(f"/{c.command}" for c in lists[""])
        languages = ", ".join(sorted(code for code in lists if code))
        self.stdout.write(f"Command list set: {names} (default and {languages})")

    def _delete(self, options) -> None:
        telegram_call(lambda bot: bot.delete_webhook(drop_pending_updates=options["drop_pending"]))
        self.stdout.write("Webhook deleted.")

    def _info(self, options) -> None:
        info = telegram_call(lambda bot: bot.get_webhook_info())
        data = {
            "url": info.url,
            "pending_update_count": info.pending_update_count,
            "last_error_date": info.last_error_date.isoformat() if info.last_error_date else None,
            "last_error_message": info.last_error_message,
            "max_connections": info.max_connections,
            "allowed_updates": list(info.allowed_updates or []),
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {value if value not in (None, '') else '-'}")
