"""Twilio as the tests see it: real payload shapes, real signatures, the SDK's transport seam.

Nothing here imitates our own code. Inbound requests are signed with the Twilio SDK's
``RequestValidator``; outbound calls go through the real ``twilio.rest.Client`` with only
its ``HttpClient`` replaced, answering with the JSON Twilio's API really returns.
"""

from __future__ import annotations

import copy
import json
import logging
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlencode

from django.test import TestCase
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

FIXTURES = Path(__file__).parent / "fixtures"
AUTH_TOKEN = "test-auth-token-5f1c0d9e8b7a"
ACCOUNT_SID = "AC3f2b8e1d4c6a9b0e7f5d2c1a8b4e6f9d"
FROM_NUMBER = "+97670110000"
PUBLIC_BASE_URL = "https://crm.example.mn"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def inbound_payload(body: str, sender: str = "+97699112233", sid: str | None = None) -> dict:
    payload = fixture("inbound_sms")
    sid = sid or new_sid()
    payload.update(Body=body, From=sender, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid)
    return payload


def sign(path: str, payload: dict, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, payload)


def post_signed(client, path: str, payload: dict, *, signature: str | None = None, **headers):
    """POST form-encoded like Twilio, with a valid signature unless one is given.

    What the request queues after its commit runs before this returns (in the test's wrapping
    transaction the commit never comes), as a worker would run it right after.
    """
    if signature is None:
        signature = sign(path, payload)
    if signature:
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            path,
            data=urlencode(payload),
            content_type="application/x-www-form-urlencoded",
            **headers,
        )
    response.sid = payload.get("MessageSid")
    return response


def sms(client, body: str, sender: str = "+97699112233", sid: str | None = None):
    return post_signed(client, "/sms/twilio/inbound", inbound_payload(body, sender, sid))


class RecordingHttpClient(HttpClient):
    """Records each request the SDK makes and answers with queued Twilio responses.

    By default a POST to Messages.json answers 201 with a message resource built like
    Twilio's from what was sent; ``fail_next(status, fixture_name)`` queues an error answer
    and ``break_next(exc)`` a transport failure.
    """

    def __init__(self) -> None:
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)
        self.requests: list[dict] = []
        self.created: list[dict] = []  # the message resources "Twilio" holds, oldest first
        self._queued: list[tuple[int, str] | Exception] = []
        self._lose_next_answer: Exception | None = None
        # Called with each created message before the answer returns (Twilio's own callbacks).
        self.on_created = None

    def fail_next(self, status: int, fixture_name: str, times: int = 1) -> None:
        for _ in range(times):
            self._queued.append((status, json.dumps(fixture(fixture_name))))

    def break_next(self, exc: Exception) -> None:
        self._queued.append(exc)

    @property
    def sent(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]

    def request(
        self,
        method,
        uri,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ) -> Response:
        self.requests.append(
            {"method": method, "uri": uri, "data": dict(data or {}), "auth": auth, "params": params}
        )
        if method == "GET" and uri.endswith("/Messages.json"):
            return self._list(uri, dict(params or {}))
        if self._queued:
            answer = self._queued.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return Response(*answer)
        resource = copy.deepcopy(fixture("message_created"))
        sid = new_sid()
        resource.update(
            sid=sid,
            to=data["To"],
            body=data["Body"],
            uri=f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        )
        resource["from"] = data["From"]
        resource["subresource_uris"]["media"] = (
            f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"
        )
        resource["date_created"] = format_datetime(datetime.now(UTC))
        self.created.append(resource)
        if self.on_created is not None:
            self.on_created(resource)
        if self._lose_next_answer is not None:
            exc, self._lose_next_answer = self._lose_next_answer, None
            raise exc
        return Response(201, json.dumps(resource))

    def forget_answer_of_next(self, exc: Exception) -> None:
        """The next message is created at "Twilio" but its answer is lost (e.g. a timeout)."""
        self._lose_next_answer = exc

    def _list(self, uri: str, params: dict) -> Response:
        """GET Messages.json: Twilio's message log, newest first, filtered by To/From."""
        found = [
            r
            for r in reversed(self.created)
            if params.get("To") in (None, r["to"]) and params.get("From") in (None, r["from"])
        ]
        size = int(params.get("PageSize", 50))
        path = uri.split("api.twilio.com", 1)[-1]
        page = {
            "messages": found[:size],
            "end": min(size, len(found)) - 1,
            "first_page_uri": f"{path}?PageSize={size}&Page=0",
            "next_page_uri": None,
            "previous_page_uri": None,
            "page": 0,
            "page_size": size,
            "start": 0,
            "uri": f"{path}?PageSize={size}&Page=0",
        }
        return Response(200, json.dumps(page))
