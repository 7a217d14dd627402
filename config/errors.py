"""What a request gets when the server fails: 503 with Retry-After while the database is busy
or unreachable, Django's own 500 page for everything else.

A database that cannot give a connection in time (a burst on the pool, an outage) is a
temporary condition the caller can do something about: try again shortly. Twilio treats a 5xx as
a reason to call the fallback URL, API clients and load balancers read Retry-After.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 5


def _database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it inside the ``except`` block, so the error is at hand."""
    if not _database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    message = _("The service is busy or briefly unavailable. Try again in a few seconds.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "unavailable"}, status=503
        )
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
