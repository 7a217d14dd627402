"""``/status/<token>/``: the public page a ticket's QR code opens.

Read-only and anonymous: the case number, its status and the next step, nothing that names
or identifies the person. An unknown, malformed or revoked token gets the same empty 404 as
any made-up one, and the page is rate-limited per client address.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from cases.labels import status_label
from cases.status_links import case_for_status_token

from .authentication import StatusPageThrottle, language_of
from .next_steps import next_step


@require_safe
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    throttle = StatusPageThrottle()
    if not throttle.allow_request(request, None):
        response = render(request, "kiosk/status.html", {"limited": True}, status=429)
        response["Retry-After"] = str(int(throttle.wait() or 60))
        return _private(response)
    language = language_of(request, default=translation.get_language())
    with translation.override(language):
        case = case_for_status_token(token=token)
        if case is None:
            return _private(render(request, "kiosk/status.html", {"missing": True}, status=404))
        context = {
            "number": case.number,
            "status": status_label(case.status, language),
            "next_step": next_step(case.status),
            "changed": timezone.localdate(case.status_changed_at),
            "language": language,
        }
        return _private(render(request, "kiosk/status.html", context))


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the key: keep it out of caches, referrers and search engines.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
