"""The kiosk speaks Mongolian, Kazakh, Russian and English: catalogues complete, pages in each."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.console.test_kazakh import PLACEHOLDER, po_entries, translations_of

from .conftest import API, identify

CATALOGUES = {
    language: Path(settings.BASE_DIR) / "kiosk" / "locale" / language / "LC_MESSAGES" / "django.po"
    for language in ("mn", "kk", "ru")
}


@pytest.mark.parametrize("language", list(CATALOGUES))
def test_every_kiosk_text_is_translated_with_the_same_placeholders(language):
    entries = po_entries(CATALOGUES[language])
    assert entries
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", set()), entry["msgid"]
        for text in translations_of(entry):
            assert text.strip(), entry["msgid"]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(
                PLACEHOLDER.findall(entry["msgid"])
            ), entry["msgid"]


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("mn", "Халамжийн албаны киоскт тавтай морил"),
        ("kk", "Әлеуметтік қорғау бөлімінің киоскіне қош келдіңіз"),
        ("ru", "Добро пожаловать в киоск соцзащиты"),
        ("en", "Welcome to the welfare office kiosk"),
    ],
)
def test_the_touch_page_opens_in_each_language_and_is_never_cached(client, db, language, title):
    response = client.get(f"/kiosk/?lang={language}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert title in page
    assert response["Cache-Control"] == "no-store"


def test_errors_reach_the_citizen_in_the_language_of_the_screen(device, tree):
    device.language = "kk"
    response = device.post(API + "identify/", {"national_id": "УБ01250462"})
    assert response.status_code == 409
    assert "әлеуметтік қызметкерге" in response.json()["detail"]


def test_the_status_page_speaks_the_readers_language(device, dorj, submitted_case, client):
    from urllib.parse import urlsplit

    from .conftest import sign_in

    case = submitted_case(dorj)
    sign_in(device, dorj, "УБ45031512")
    url = device.post(API + f"cases/{case.number}/ticket/").json()["status_url"]
    page = client.get(urlsplit(url).path + "?lang=ru").content.decode()
    assert "Статус заявки" in page
    assert "Заявка отправлена" in page  # the status, in Russian


def test_the_code_message_is_in_the_language_chosen_at_the_kiosk(device, dorj):
    from channels_app.models import OutboundMessage

    device.language = "kk"
    identify(device, dorj, "УБ45031512")
    assert "бір реттік код" in OutboundMessage.objects.get(template_code="kiosk_code").body
