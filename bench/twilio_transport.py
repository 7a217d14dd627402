"""Point the Twilio SDK at the loopback stand-in, at the SDK's own transport seam.

The Celery worker of a bench run calls ``install()`` before it forks: the project's Twilio
client (``sms.client.http_client``, the seam the tests use too) then uses this subclass of
``TwilioHttpClient``, which sends what was meant for ``*.twilio.com`` to ``BENCH_TWILIO_API``
(a loopback address) instead. Everything above the socket (the SDK's request building, auth,
response parsing, error mapping) is Twilio's real code.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from twilio.http.http_client import TwilioHttpClient


class LoopbackTwilioHttpClient(TwilioHttpClient):
    base_url = ""

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, url, *args, **kwargs)


def install(base_url: str | None = None) -> None:
    import sms.client

    LoopbackTwilioHttpClient.base_url = (base_url or os.environ["BENCH_TWILIO_API"]).rstrip("/")
    assert LoopbackTwilioHttpClient.base_url.startswith("http://127.0.0.1:")
    sms.client.http_client = LoopbackTwilioHttpClient(timeout=30)
