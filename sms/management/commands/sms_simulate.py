"""Send a Twilio-shaped, correctly signed inbound SMS to a running server and print the answer.

The server checks signatures against its PUBLIC_BASE_URL and TWILIO_AUTH_TOKEN, so it must run
with a token, e.g. ``TWILIO_AUTH_TOKEN=dev-token ./scripts/run.sh``, and this command must see
the same two values (run it with the same environment, or pass --token / --public-base-url).
The webhook answers empty TwiML at once and a worker answers through the outbox; the command
then reads that answer from the database it shares with the server.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from twilio.request_validator import RequestValidator

from channels_app.models import InboundReply
from channels_app.simulate import default_server_url, delivery_processed
from sms.payloads import twilio_inbound_fields

INBOUND_PATH = "/sms/twilio/inbound"


def inbound_payload(*, sender: str, to: str, body: str, account_sid: str) -> dict[str, str]:
    """Every field Twilio Messaging posts for an incoming SMS, with a fresh MessageSid."""
    return twilio_inbound_fields(
        sid="SM" + secrets.token_hex(16), sender=sender, to=to, body=body, account_sid=account_sid
    )


class Command(BaseCommand):
    help = (
        "Simulate an SMS to the running server as Twilio would post it (signed with "
        "TWILIO_AUTH_TOKEN against PUBLIC_BASE_URL) and print the answer sent back. "
        'Example: manage.py sms_simulate --from +97699112233 "STATUS"'
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("body", help='the text, e.g. "STATUS" or "ТӨЛӨВ 2026-000123"')
        parser.add_argument(
            "--from", dest="sender", required=True, help="sender, e.g. +97699112233"
        )
        parser.add_argument(
            "--to", default="", help="our number (default TWILIO_FROM_NUMBER or +97670000000)"
        )
        parser.add_argument(
            "--server",
            default="",
            help="where the server listens (default: where ./scripts/run.sh last served)",
        )
        parser.add_argument("--token", default="", help="default: TWILIO_AUTH_TOKEN")
        parser.add_argument("--public-base-url", default="", help="default: PUBLIC_BASE_URL")
        parser.add_argument("--message-sid", default="", help="reuse a MessageSid (a retry)")
        parser.add_argument(
            "--wait", type=float, default=15.0, help="seconds to wait for a worker's answer"
        )

    def handle(self, *args, **options) -> None:
        token = options["token"] or settings.TWILIO_AUTH_TOKEN
        if not token:
            raise CommandError(
                "No auth token: set TWILIO_AUTH_TOKEN (the same value the server runs with, "
                "e.g. TWILIO_AUTH_TOKEN=dev-token ./scripts/run.sh) or pass --token."
            )
        server = (options["server"] or default_server_url()).rstrip("/")
        public = (options["public_base_url"] or settings.PUBLIC_BASE_URL).rstrip("/")
        payload = inbound_payload(
            sender=options["sender"],
            to=options["to"] or settings.TWILIO_FROM_NUMBER or "+97670000000",
            body=options["body"],
            account_sid=settings.TWILIO_ACCOUNT_SID or "AC" + "0" * 32,
        )
        if options["message_sid"]:
            for key in ("MessageSid", "SmsSid", "SmsMessageSid"):
                payload[key] = options["message_sid"]
        signature = RequestValidator(token).compute_signature(public + INBOUND_PATH, payload)
        request = urllib.request.Request(
            server + INBOUND_PATH,
            data=urllib.parse.urlencode(payload).encode(),
            headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "User-Agent": "TwilioProxy/1.1 (sms_simulate)",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answer = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as exc:
            raise CommandError(
                f"The server answered {exc.code}: {exc.read().decode()[:300]} "
                "(403 means the token or PUBLIC_BASE_URL differ from the server's)."
            ) from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"Cannot reach {server}: {exc.reason}") from exc
        self.stderr.write(f"MessageSid {payload['MessageSid']} -> HTTP {status}: {answer}")
        self.stdout.write(self._answer_of(payload["MessageSid"], options["wait"]))

    def _answer_of(self, sid: str, wait: float) -> str:
        """The text the worker sent back, once it has processed the message."""
        delivery = delivery_processed(
            channel="sms", provider_id=sid, wait=wait, what=f"message {sid}"
        )
        reply = InboundReply.objects.filter(inbound=delivery.interaction_id).first()
        return reply.reply_text if reply and reply.reply_text else "(no answer)"
