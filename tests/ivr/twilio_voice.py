"""Twilio Voice as the tests see it: real form fields, real signatures, the SDK's seam.

A ``Phone`` walks a call the way Twilio does: it posts the fixture's fields to a step, reads
the TwiML answer and follows the ``<Gather action>`` (or ``<Redirect>``) it names.
"""

from __future__ import annotations

import copy
import json
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from twilio.http.response import Response

from tests.sms import twilio_transport as tt

FIXTURES = Path(__file__).parent / "fixtures"
PUBLIC = tt.PUBLIC_BASE_URL


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def new_call_sid() -> str:
    return "CA" + uuid.uuid4().hex


def local(url: str) -> str:
    """The path and query of an absolute URL Twilio would call."""
    assert url.startswith(PUBLIC), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Answer:
    """One TwiML answer, parsed."""

    def __init__(self, response) -> None:
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/xml")
        self.raw = response.content.decode()
        self.root = ET.fromstring(response.content)
        assert self.root.tag == "Response"

    @property
    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]

    @property
    def gather(self) -> ET.Element | None:
        return self.root.find("Gather")

    def said(self) -> list[str]:
        return [el.text or "" for el in self.root.iter("Say")]

    def played(self) -> list[str]:
        return [el.text or "" for el in self.root.iter("Play")]

    def heard(self) -> str:
        return " ".join(self.said())

    def find(self, tag: str) -> ET.Element | None:
        return next(self.root.iter(tag), None)


class Phone:
    """A caller on one call: ``dial()``, then ``press("1")`` or ``silence()`` or ``say(...)``."""

    def __init__(self, client, number: str = "+97699112233", call_sid: str | None = None):
        self.client = client
        self.number = number
        self.call_sid = call_sid or new_call_sid()
        self.last: Answer | None = None
        self.last_path = ""
        self.last_payload: dict = {}

    def fields(self, name: str, **extra) -> dict:
        payload = fixture(name)
        payload.update(CallSid=self.call_sid, From=self.number, Caller=self.number, **extra)
        return payload

    def post(self, path: str, payload: dict, **headers) -> Answer:
        response = tt.post_signed(self.client, path, payload, **headers)
        self.last_path, self.last_payload = path, payload
        self.last = Answer(response)
        return self.last

    def dial(self) -> Answer:
        return self.post("/ivr/twilio/voice", self.fields("incoming_call"))

    def action(self) -> str:
        gather = self.last.gather
        assert gather is not None, self.last.raw
        return local(gather.get("action"))

    def press(self, digits: str) -> Answer:
        return self.post(self.action(), self.fields("gather_digits", Digits=digits))

    def say(self, words: str) -> Answer:
        return self.post(self.action(), self.fields("gather_speech", SpeechResult=words))

    def silence(self) -> Answer:
        """The Gather timed out: Twilio calls its action without Digits."""
        return self.post(self.action(), self.fields("gather_timeout"))

    def replay(self) -> Answer:
        """Twilio retrying the very same request."""
        return self.post(self.last_path, self.last_payload)

    def enqueue_action(self) -> str:
        enqueue = self.last.find("Enqueue")
        assert enqueue is not None, self.last.raw
        return local(enqueue.get("action"))


class VoiceHttpClient(tt.RecordingHttpClient):
    """Also answers Twilio's Calls API (a call resource) and serves recordings' audio."""

    AUDIO = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00voice-message"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict] = []
        self.caller_of: dict[str, str] = {}  # call sid -> From, for fetching a call

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):  # fmt: skip
        if method == "POST" and uri.endswith("/Calls.json"):
            self.requests.append(
                {"method": method, "uri": uri, "data": dict(data or {}), "auth": auth}
            )
            if self._queued:
                answer = self._queued.pop(0)
                if isinstance(answer, Exception):
                    raise answer
                return Response(*answer)
            resource = copy.deepcopy(fixture("call_created"))
            sid = new_call_sid()
            resource.update(sid=sid, to=data["To"], date_created=format_datetime(datetime.now(UTC)))
            resource["from"] = data["From"]
            resource["uri"] = f"/2010-04-01/Accounts/{tt.ACCOUNT_SID}/Calls/{sid}.json"
            self.calls.append({**dict(data), "Sid": sid})
            return Response(201, json.dumps(resource))
        if method == "GET" and "/Calls/CA" in uri:  # fetch one call: who called
            self.requests.append({"method": method, "uri": uri, "auth": auth})
            resource = copy.deepcopy(fixture("call_created"))
            sid = uri.rsplit("/", 1)[-1].removesuffix(".json")
            resource.update(sid=sid, status="in-progress", direction="inbound", to=tt.FROM_NUMBER)
            resource["from"] = self.caller_of.get(sid, "+97699112233")
            return Response(200, json.dumps(resource))
        if method == "GET" and "/Recordings/" in uri:
            self.requests.append({"method": method, "uri": uri, "auth": auth})
            return Response(200, self.AUDIO.decode("latin-1"))
        return super().request(method, uri, params, data, headers, auth, timeout, allow_redirects)
