"""The Telegram webhook: checked, stored, answered; the update is handled after the answer."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .updates import update_accept

logger = logging.getLogger(__name__)

SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"


def secret_matches(request: HttpRequest) -> bool:
    """Constant-time comparison; with no secret configured nothing is accepted."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.META.get(SECRET_HEADER, "")
    if not secret or not given:
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    if not secret_matches(request):
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "The body is not a Telegram update."}, status=400)
    row, _created = update_accept(payload)
    if row is None:
        # Telegram would retry a 4xx forever: an update without an id is logged and dropped.
        logger.warning("Telegram update without update_id: %.200s", request.body)
    return HttpResponse(status=200)
