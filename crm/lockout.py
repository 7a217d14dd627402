"""The answer to a sign-in refused by the lockout (django-axes' AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


def locked_out_message() -> str:
    return _(
        "Too many failed sign-ins for this username from your address; try again later or "
        "ask an administrator to unlock it."
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """JSON for the API, a short page in the reader's language for the console and admin."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": locked_out_message(), "code": "locked_out"}, status=status)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        "<body><h1>{title}</h1><p>{message}</p></body></html>"
    ).format(title=escape(_("Sign-in refused")), message=escape(locked_out_message()))
    return HttpResponse(page, status=status)
