"""Send a Telegram-shaped update to a running server, with the webhook secret, and print what
the bot answered (read from the outbox in the database the server uses).

The server accepts updates only with ``TELEGRAM_WEBHOOK_SECRET`` set, e.g.
``TELEGRAM_WEBHOOK_SECRET=dev-secret ./scripts/run.sh``; run this with the same value.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from channels_app.models import OutboundMessage
from channels_app.simulate import default_server_url, delivery_processed

WEBHOOK_PATH = "/telegram/webhook"


def update_payload(
    *,
    update_id: int,
    user_id: int,
    first_name: str,
    language: str,
    text: str = "",
    contact: str = "",
    callback: str = "",
) -> dict:
    """An Update as the Bot API posts it: a text message, a shared contact or a button press."""
    user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language}
    chat = {"id": user_id, "first_name": first_name, "type": "private"}
    now = int(time.time())
    if callback:
        return {
            "update_id": update_id,
            "callback_query": {
                "id": str(secrets.randbits(63)),
                "from": user,
                "message": {"message_id": 1, "chat": chat, "date": now, "text": "…"},
                "chat_instance": str(secrets.randbits(63)),
                "data": callback,
            },
        }
    message: dict = {"message_id": update_id % 1_000_000, "from": user, "chat": chat, "date": now}
    if contact:
        message["contact"] = {
            "phone_number": contact.lstrip("+"),
            "first_name": first_name,
            "user_id": user_id,
        }
    else:
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return {"update_id": update_id, "message": message}


class Command(BaseCommand):
    help = (
        "Simulate a Telegram update to the running server (with the X-Telegram-Bot-Api-Secret-"
        "Token header) and print the bot's answers. Examples: telegram_simulate /start; "
        'telegram_simulate "Hello"; telegram_simulate --contact +97699112233; '
        "telegram_simulate --callback lang:mn"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("text", nargs="?", default="", help='the message, e.g. "/start"')
        parser.add_argument("--contact", default="", help="share this phone number instead")
        parser.add_argument("--callback", default="", help="press a button with this data")
        parser.add_argument("--user-id", type=int, default=5120458830)
        parser.add_argument("--first-name", default="Тэмүүлэн")
        parser.add_argument("--language", default="mn", help="the app's language code")
        parser.add_argument("--update-id", type=int, default=0, help="reuse an id (a retry)")
        parser.add_argument(
            "--server", default="", help="default: where ./scripts/run.sh last served"
        )
        parser.add_argument("--secret", default="", help="default: TELEGRAM_WEBHOOK_SECRET")
        parser.add_argument(
            "--wait", type=float, default=10.0, help="seconds to wait for the worker"
        )

    def handle(self, *args, **options) -> None:
        secret = options["secret"] or settings.TELEGRAM_WEBHOOK_SECRET
        if not secret:
            raise CommandError(
                "No webhook secret: set TELEGRAM_WEBHOOK_SECRET (the same value the server runs "
                "with, e.g. TELEGRAM_WEBHOOK_SECRET=dev-secret ./scripts/run.sh) or pass --secret."
            )
        if not (options["text"] or options["contact"] or options["callback"]):
            raise CommandError("Say what to send: a text, --contact PHONE or --callback DATA.")
        update_id = options["update_id"] or secrets.randbelow(2**31 - 1_000_000) + 1_000_000
        payload = update_payload(
            update_id=update_id,
            user_id=options["user_id"],
            first_name=options["first_name"],
            language=options["language"],
            text=options["text"],
            contact=options["contact"],
            callback=options["callback"],
        )
        server = (options["server"] or default_server_url()).rstrip("/")
        request = urllib.request.Request(
            server + WEBHOOK_PATH,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": secret,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise CommandError(
                f"The server answered {exc.code} (403 means the secret differs from the "
                "server's TELEGRAM_WEBHOOK_SECRET)."
            ) from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"Cannot reach {server}: {exc.reason}") from exc
        self.stderr.write(f"update_id {update_id} -> HTTP {status}")
        for line in self._answers(update_id, str(options["user_id"]), options["wait"]):
            self.stdout.write(line)

    def _answers(self, update_id: int, user_id: str, wait: float) -> list[str]:
        """What the bot put in the outbox for this update, once a worker handled it."""
        delivery = delivery_processed(
            channel="telegram", provider_id=str(update_id), wait=wait, what=f"update {update_id}"
        )
        replies = OutboundMessage.objects.filter(
            channel="telegram", address=user_id, created_at__gte=delivery.received_at
        ).order_by("created_at", "id")
        return [m.body for m in replies] or ["(no answer)"]
