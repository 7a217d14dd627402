"""The ASGI app with the Twilio SDK's transport replaced by one that writes down each request.

A browser test's server process loads this instead of ``config.asgi``: everything is the
production wiring, except that the REST calls Twilio would receive are appended as JSON lines
to ``E2E_TWILIO_LOG`` and answered like Twilio's API answers them.
"""

from __future__ import annotations

import json
import logging
import os
import uuid

from twilio.http import HttpClient
from twilio.http.response import Response


class LoggingTwilioHttpClient(HttpClient):
    def __init__(self, path: str) -> None:
        super().__init__(logger=logging.getLogger("e2e.twilio"), is_async=False)
        self.path = path

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):  # fmt: skip
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": method, "uri": uri, "data": dict(data or {})}) + "\n")
        sid = "CA" + uuid.uuid4().hex
        data = dict(data or {})
        resource = {
            "sid": sid,
            "status": "queued",
            "to": data.get("To"),
            "from": data.get("From"),
            "direction": "outbound-api",
            "account_sid": os.environ.get("TWILIO_ACCOUNT_SID"),
            "uri": f"/2010-04-01/Accounts/x/Calls/{sid}.json",
        }
        return Response(201, json.dumps(resource))


def _install() -> None:
    import django

    django.setup()
    import sms.client

    sms.client.http_client = LoggingTwilioHttpClient(os.environ["E2E_TWILIO_LOG"])


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_install()

from config.asgi import application  # noqa: E402

__all__ = ["application"]
