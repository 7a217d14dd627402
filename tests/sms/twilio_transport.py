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
from pathlib import Path
from urllib.parse import urlencode

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
    """POST form-encoded like Twilio, with a valid signature unless one is given."""
    if signature is None:
        signature = sign(path, payload)
    if signature:
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    return client.post(
        path, data=urlencode(payload), content_type="application/x-www-form-urlencoded", **headers
    )


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
        self._queued: list[tuple[int, str] | Exception] = []

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
        self.requests.append({"method": method, "uri": uri, "data": dict(data or {}), "auth": auth})
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
        return Response(201, json.dumps(resource))
