"""The audit pages speak Mongolian, Kazakh and Russian: every text translated, placeholders kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.console.test_kazakh import PLACEHOLDER, po_entries, translations_of

LANGUAGES = ("mn", "kk", "ru")


def _catalogue(language: str) -> Path:
    return Path(settings.BASE_DIR) / "audit" / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_its_placeholders(language):
    entries = po_entries(_catalogue(language))
    assert len(entries) > 100
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", set()), entry["msgid"]
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in translations_of(entry):
            assert text and text.strip() == text, entry["msgid"]
            assert sorted(PLACEHOLDER.findall(text)) == expected, (entry["msgid"], text)


def test_the_three_catalogues_hold_the_same_texts():
    keys = [{e["msgid"] for e in po_entries(_catalogue(lang))} for lang in LANGUAGES]
    assert keys[0] == keys[1] == keys[2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_answers(language):
    with translation.override(language):
        for entry in po_entries(_catalogue(language)):
            if entry["msgid"] in ("API",):
                continue
            assert translation.gettext(entry["msgid"]) != entry["msgid"], entry["msgid"]


def test_the_audit_page_in_mongolian(staff, signed_in):
    client = signed_in(staff.supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "mn"
    page = client.get("/console/privacy/audit/").content.decode()
    assert "Хандалтын бүртгэл" in page
