"""The touch page: plain HTML, CSS and JavaScript from our static files.

It holds no citizen data itself; the script asks the device API for everything, keeps the
citizen's session key only in memory, and wipes itself after the idle countdown.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from crm.models import Language
from crm.national_ids import MN_LETTERS

from .authentication import language_of
from .page_texts import page_texts

# The on-screen keyboard for a question: Mongolian Cyrillic and the letters Kazakh adds.
TEXT_LETTERS = MN_LETTERS + "ӘҒҚҢҰҺІ"


@require_safe
def touch_page(request: HttpRequest) -> HttpResponse:
    language = language_of(request)
    with translation.override(language):
        response = render(
            request,
            "kiosk/touch.html",
            {
                "language": language,
                "languages": Language.choices,
                "idle_seconds": settings.KIOSK_IDLE_SECONDS,
                "countdown_seconds": settings.KIOSK_COUNTDOWN_SECONDS,
                "texts": page_texts(),
                "id_letters": MN_LETTERS,
                "text_letters": TEXT_LETTERS,
            },
        )
    # A public device: no copy of the page in any cache, and none restored by "Back".
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
