"""The API answers JSON everywhere, also for a URL that matches nothing."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _


class ApiNotFoundAsJson:
    """A 404 under /api/ that no API view produced (an unmatched URL) becomes the API's body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return JsonResponse(
                {"detail": _("No such API endpoint; see /api/docs/."), "code": "not_found"},
                status=404,
            )
        return response
