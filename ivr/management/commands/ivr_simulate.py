"""Walk a phone call through the running server's IVR, signed like Twilio, from the keyboard.

Each step is posted with the form fields Twilio Voice sends, signed with TWILIO_AUTH_TOKEN
against PUBLIC_BASE_URL (run it in the server's environment, or pass --token and
--public-base-url). What the caller would hear is printed; at each question type keys
(``1``), words for speech (``оператор``), or nothing for a timeout. ``--keys 3,1`` answers
from a list instead of the keyboard.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from twilio.request_validator import RequestValidator

from channels_app.simulate import default_server_url

VOICE_PATH = "/ivr/twilio/voice"
MAX_STEPS = 40


class Command(BaseCommand):
    help = (
        "Simulate a phone call to the running server's IVR as Twilio would make it, print "
        "what the caller hears and read keys from the keyboard. "
        "Example: manage.py ivr_simulate --from +97699112233"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="caller", required=True, help="e.g. +97699112233")
        parser.add_argument("--to", default="", help="our number (default TWILIO_FROM_NUMBER)")
        parser.add_argument(
            "--server",
            default="",
            help="where the server listens (default: where ./scripts/run.sh last served)",
        )
        parser.add_argument("--token", default="", help="default: TWILIO_AUTH_TOKEN")
        parser.add_argument("--public-base-url", default="", help="default: PUBLIC_BASE_URL")
        parser.add_argument(
            "--keys",
            default=None,
            help="answers instead of the keyboard, comma-separated ('' is a timeout)",
        )
        parser.add_argument("--call-sid", default="", help="reuse a CallSid")

    def handle(self, *args, **options) -> None:
        self.token = options["token"] or settings.TWILIO_AUTH_TOKEN
        if not self.token:
            raise CommandError(
                "No auth token: set TWILIO_AUTH_TOKEN (the value the server runs with) or "
                "pass --token."
            )
        self.public = (options["public_base_url"] or settings.PUBLIC_BASE_URL).rstrip("/")
        self.server = (options["server"] or default_server_url()).rstrip("/")
        self.scripted = None if options["keys"] is None else options["keys"].split(",")
        call_sid = options["call_sid"] or "CA" + secrets.token_hex(16)
        self.base = {
            "AccountSid": settings.TWILIO_ACCOUNT_SID or "AC" + "0" * 32,
            "ApiVersion": "2010-04-01",
            "CallSid": call_sid,
            "From": options["caller"],
            "Caller": options["caller"],
            "To": options["to"] or settings.TWILIO_FROM_NUMBER or "+97670000000",
            "Called": options["to"] or settings.TWILIO_FROM_NUMBER or "+97670000000",
            "Direction": "inbound",
        }
        self.stderr.write(f"CallSid {call_sid}")
        answer = self.post(VOICE_PATH, {"CallStatus": "ringing"})
        for _ in range(MAX_STEPS):
            answer = self.play(answer)
            if answer is None:
                break
        self.post("/ivr/twilio/status", {"CallStatus": "completed", "CallDuration": "60"})
        self.stdout.write("-- call ended")

    # --- talking to the server ------------------------------------------------------------

    def path_of(self, url: str) -> str:
        if url.startswith(self.public):
            return url[len(self.public) :]
        return urllib.parse.urlsplit(url).path

    def post(self, path: str, fields: dict) -> ET.Element | None:
        payload = {**self.base, "CallStatus": "in-progress", **fields}
        signature = RequestValidator(self.token).compute_signature(self.public + path, payload)
        request = urllib.request.Request(
            self.server + path,
            data=urllib.parse.urlencode(payload).encode(),
            headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "User-Agent": "TwilioProxy/1.1 (ivr_simulate)",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise CommandError(
                f"The server answered {exc.code} to {path} "
                "(403 means the token or PUBLIC_BASE_URL differ from the server's)."
            ) from exc
        except urllib.error.URLError as exc:
            raise CommandError(f"Cannot reach {self.server}: {exc.reason}") from exc
        return ET.fromstring(body) if body.strip() else None

    def answer_for(self, question: str) -> str:
        if self.scripted is not None:
            value = self.scripted.pop(0) if self.scripted else ""
            self.stdout.write(f"{question} {value or '(silence)'}")
            return value
        try:
            return input(question + " ").strip()
        except EOFError:
            return ""

    # --- what the caller hears ------------------------------------------------------------

    def speak(self, element: ET.Element) -> None:
        for verb in element:
            if verb.tag == "Say":
                self.stdout.write(f"  [{verb.get('language', '')}] {verb.text}")
            elif verb.tag == "Play":
                self.stdout.write(f"  [recording] {verb.text}")
            elif verb.tag == "Pause":
                self.stdout.write(f"  ... ({verb.get('length', '1')} s)")

    def play(self, response: ET.Element | None) -> ET.Element | None:
        """Act out one TwiML answer; the next answer, or None when the call is over."""
        if response is None:
            return None
        for verb in response:
            if verb.tag in ("Say", "Play", "Pause"):
                self.speak(_wrap(verb))
            elif verb.tag == "Gather":
                self.speak(verb)
                typed = self.answer_for("keys>")
                fields = {}
                if typed.isdigit() or typed in ("*", "#"):
                    fields["Digits"] = typed
                elif typed:
                    fields["SpeechResult"] = typed
                    fields["Confidence"] = "0.9"
                return self.post(self.path_of(verb.get("action")), fields)
            elif verb.tag == "Redirect":
                return self.post(self.path_of(verb.text), {})
            elif verb.tag == "Enqueue":
                self.stdout.write(f"  -- waiting for an agent in queue {verb.text}")
                wait = self.post(
                    self.path_of(verb.get("waitUrl")),
                    {"QueuePosition": "1", "AvgQueueTime": "60", "QueueTime": "0"},
                )
                if wait is not None:
                    self.speak(wait)
                self.stdout.write("  -- the caller hangs up while waiting")
                return self.post(self.path_of(verb.get("action")), {"QueueResult": "hangup"})
            elif verb.tag == "Record":
                self.stdout.write("  -- beep: recording a 5 s message")
                sid = "RE" + secrets.token_hex(16)
                url = f"https://api.twilio.com/2010-04-01/Accounts/{self.base['AccountSid']}"
                recording = {
                    "RecordingSid": sid,
                    "RecordingUrl": f"{url}/Recordings/{sid}",
                    "RecordingDuration": "5",
                }
                self.post(
                    self.path_of(verb.get("recordingStatusCallback")),
                    {**recording, "RecordingStatus": "completed"},
                )
                return self.post(self.path_of(verb.get("action")), {**recording, "Digits": "#"})
            elif verb.tag in ("Leave", "Hangup"):
                return None
        return None


def _wrap(verb: ET.Element) -> ET.Element:
    holder = ET.Element("Response")
    holder.append(verb)
    return holder
