"""Twilio webhook signatures, checked with the SDK against PUBLIC_BASE_URL + path + query."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from twilio.request_validator import RequestValidator, compare

logger = logging.getLogger(__name__)


def signature_valid(request: HttpRequest) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        # Without a token we cannot tell Twilio from anyone else: refuse, never accept unsigned.
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    validator = RequestValidator(token)
    # ``validate`` signs the URL both with and without a port on every call, two HMACs over
    # the whole form; Twilio signs the URL it was configured with, which is this one, so it is
    # tried alone first. Anything else gets the SDK's whole check.
    if compare(validator.compute_signature(url, request.POST), signature):
        return True
    return validator.validate(url, request.POST, signature)


def _refused(request: HttpRequest) -> HttpResponse:
    logger.warning(
        "refused an unsigned or wrongly signed Twilio webhook to %s (token set: %s)",
        request.path,
        bool(settings.TWILIO_AUTH_TOKEN),
    )
    return HttpResponseForbidden("Invalid or missing X-Twilio-Signature.")


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403) a request without Twilio's valid signature before ``view`` (sync or async)
    sees it; the check needs no I/O, so an async view keeps it on the event loop."""
    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not signature_valid(request):
                return _refused(request)
            return await view(request, *args, **kwargs)

        return async_wrapper

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not signature_valid(request):
            return _refused(request)
        return view(request, *args, **kwargs)

    return wrapper
