"""Absolute URLs Twilio calls back, built from PUBLIC_BASE_URL (what signatures are checked on)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse


def public_url(name: str, *args: object, **query: object) -> str:
    url = settings.PUBLIC_BASE_URL + reverse(name, args=args or None)
    if query:
        url += "?" + urlencode({k: v for k, v in query.items() if v is not None})
    return url
