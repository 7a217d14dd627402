"""The Telegram webhook: checked, stored in one INSERT by the hub, answered at once.

The update is handled afterwards by a worker (``TelegramChannel.inbound_process``); Telegram
re-posting an ``update_id`` we hold finds the stored row and changes nothing.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from channels_app.intake import inbound_accept_async, provider_id_of
from channels_app.webhooks import provider_webhook
from crm.jurisdiction import contacts_visible_to

from .models import TelegramFile
from .updates import update_sender, without_nul

logger = logging.getLogger(__name__)

SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"
INLINE_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def secret_matches(request: HttpRequest) -> bool:
    """Constant-time comparison; with no secret configured nothing is accepted."""
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.META.get(SECRET_HEADER, "")
    if not secret or not given:
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


@provider_webhook
@csrf_exempt
@require_POST
async def webhook(request: HttpRequest) -> HttpResponse:
    # Async, so that under ASGI its INSERT and kick wait on the event loop (channels_app.intake).
    if not secret_matches(request):
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "The body is not a Telegram update."}, status=400)
    payload = without_nul(payload)
    update_id = payload.get("update_id")
    await inbound_accept_async(
        channel="telegram",
        provider_id=str(update_id) if isinstance(update_id, int) else provider_id_of(payload),
        sender=update_sender(payload),
        payload=payload,
    )
    return HttpResponse(status=200)


@login_required
def citizen_file(request: HttpRequest, pk: int) -> FileResponse:
    """A file a citizen sent, for staff who may see that citizen (404 for anyone else)."""
    kept = get_object_or_404(TelegramFile.objects.select_related("interaction"), pk=pk)
    if not contacts_visible_to(request.user).filter(pk=kept.interaction.contact_id).exists():
        raise Http404
    # Only images and PDFs open in the browser; anything else downloads (no stored HTML runs).
    inline = kept.content_type in INLINE_TYPES
    response = FileResponse(
        kept.file.open("rb"),
        as_attachment=not inline,
        filename=kept.original_name or "file",
        content_type=kept.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
