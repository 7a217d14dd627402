"""The staff UI in Kazakh (kk): the console's pages, and the kk catalogues being complete."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

CATALOGUES = [
    Path(settings.BASE_DIR) / "locale" / "kk" / "LC_MESSAGES" / "django.po",
    Path(settings.BASE_DIR) / "console" / "locale" / "kk" / "LC_MESSAGES" / "django.po",
]
# What must survive translation unchanged: Python/str.format placeholders, HTML tags, entities.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif%]|\{[^}]*\}|<[^>]+>|&\w+;")


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file, header excluded: msgctxt, msgid(_plural), msgstr(s), flags."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def translations_of(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def visible_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def kazakh(signed_in):
    """``kazakh(user)``: a signed-in client whose language cookie says kk."""

    def make(user):
        client = signed_in(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
        return client

    return make


def test_an_agent_sees_the_inbox_and_navigation_in_kazakh(staff, kazakh, sms_from):
    sms_from("+97699112233")
    page = visible_text(kazakh(staff.agent), "/console/inbox/")
    assert '<html lang="kk">' in page
    for text in (
        "Кіріс өтініштер",  # Inbox
        "Кері қоңыраулар",  # Callbacks
        "Шығыс хабарламалар",  # Outbox
        "Азаматты табу",  # Find a citizen
        "Шығу",  # Sign out
        "Барлық арналар",  # All channels
        "операторды күтуде",  # waiting for an agent
        "Байланыс орталығының операторы",  # the agent's role
    ):
        assert text in page, text
    assert "Find a citizen" not in page and "Sign out" not in page


def test_a_local_worker_sees_the_worklist_in_kazakh(staff, kazakh, citizen, placement):
    from cases.services import case_create

    case_create(beneficiary=citizen, service=placement, actor=staff.agent, origin_channel="sms")
    page = visible_text(kazakh(staff.local7), "/console/cases/")
    for text in (
        "Менің істерім",  # My worklist
        "Сақталған (жоба)",  # Saved (draft)
        "Сақталған жобалар: құжаттар мен денсаулық жағдайын толықтырып",
        "Күтім үйі",  # Care home
        "Мерзімі",  # Due
    ):
        assert text in page, text
    assert "My worklist" not in page


def test_the_kz_deployment_speaks_kazakh_without_a_cookie(staff, client, settings):
    settings.LANGUAGE_CODE = "kk"  # what CRM_COUNTRY=KZ sets
    client.force_login(staff.local7)
    page = visible_text(client, "/console/cases/")
    assert "Менің істерім" in page and "Азаматты табу" in page


def test_the_language_switcher_offers_kazakh(staff, signed_in):
    client = signed_in(staff.agent)
    client.post("/console/language/", {"language": "kk", "next": "/console/inbox/"})
    staff.agent.refresh_from_db()
    assert staff.agent.language == "kk"
    assert "Кіріс өтініштер" in visible_text(client, "/console/inbox/")


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "console"])
def test_every_kazakh_entry_is_translated_with_its_placeholders(path):
    header = path.read_text(encoding="utf-8")
    assert '"Language: kk\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
    entries = po_entries(path)
    assert entries
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", set()), entry["msgid"]
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        assert len(translations_of(entry)) == (2 if "msgid_plural" in entry else 1)
        for text in translations_of(entry):
            assert text, f"untranslated: {entry['msgid']!r}"
            assert sorted(PLACEHOLDER.findall(text)) == expected, (entry["msgid"], text)
            assert text.strip() == text, (entry["msgid"], text)


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "console"])
def test_the_compiled_kazakh_catalogue_matches_the_po_file(path):
    """Django answers every msgid with the .po's text: the committed .mo is compiled from it."""
    with translation.override("kk"):
        for entry in po_entries(path):
            msgid, context = entry["msgid"], entry.get("msgctxt")
            if "msgid_plural" in entry:
                one = translation.ngettext(msgid, entry["msgid_plural"], 1)
                many = translation.ngettext(msgid, entry["msgid_plural"], 5)
                assert [one, many] == [entry["msgstr[0]"], entry["msgstr[1]"]]
            elif context:
                assert translation.pgettext(context, msgid) == entry["msgstr"]
            else:
                assert translation.gettext(msgid) == entry["msgstr"], msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "console"])
def test_kazakh_has_every_text_the_russian_catalogue_has(path):
    russian = Path(str(path).replace("/kk/", "/ru/"))

    def keys(entries):
        return {(entry.get("msgctxt"), entry["msgid"]) for entry in entries}

    assert keys(po_entries(path)) == keys(po_entries(russian))
