"""Recognising keywords: first word, any case, Latin or Cyrillic, keyboard-friendly folds."""

import pytest

from sms.keywords import KEYWORDS, keyword_parse


@pytest.mark.parametrize(
    ("text", "command", "language", "argument"),
    [
        ("STATUS", "status", "en", ""),
        ("  status  ", "status", "en", ""),
        ("Status 2026-000123", "status", "en", "2026-000123"),
        ("ТӨЛӨВ 2026-000123", "status", "mn", "2026-000123"),
        ("төлөв", "status", "mn", ""),
        ("ТОЛОВ", "status", "mn", ""),  # typed on a Russian keyboard
        ("Tolov", "status", "mn", ""),
        ("МӘРТЕБЕ", "status", "kk", ""),
        ("МАРТЕБЕ", "status", "kk", ""),
        ("СТАТУС", "status", "ru", ""),
        ("queue", "queue", "en", ""),
        ("ДАРААЛАЛ", "queue", "mn", ""),
        ("ОЧЕРЕДЬ", "queue", "ru", ""),
        ("КЕЗЕК", "queue", "kk", ""),
        ("CALL", "call", "en", ""),
        ("залга", "call", "mn", ""),
        ("ЗВОНОК", "call", "ru", ""),
        ("ҚОҢЫРАУ", "call", "kk", ""),
        ("КОНЫРАУ", "call", "kk", ""),
        ("HELP?", "help", "en", ""),
        ("ТУСЛАМЖ", "help", "mn", ""),
        ("ПОМОЩЬ", "help", "ru", ""),
        ("КӨМЕК", "help", "kk", ""),
        ("Stop.", "stop", "en", ""),
        ("UNSUBSCRIBE", "stop", "en", ""),
        ("ЗОГС", "stop", "mn", ""),
        ("СТОП", "stop", "ru", ""),
        ("ТОҚТА", "stop", "kk", ""),
        ("START", "start", "en", ""),
        ("ЭХЛЭХ", "start", "mn", ""),
        ("СТАРТ", "start", "ru", ""),
        ("БАСТАУ", "start", "kk", ""),
    ],
)
def test_keywords(text, command, language, argument):
    parsed = keyword_parse(text)
    assert (parsed.name, parsed.language, parsed.argument) == (command, language, argument)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Сайн байна уу",
        "stop sending me these please",
        "call me tomorrow at 10",
        "help my mother needs a care home",
        "STATUS of my mother's request",
        "statuses",
    ],
)
def test_free_text_is_not_a_command(text):
    assert keyword_parse(text) is None


def test_every_command_has_a_spelling_in_every_language():
    seen = {(command, language) for command, language in KEYWORDS.values()}
    for command in ("status", "queue", "call", "help", "stop", "start"):
        for language in ("mn", "kk", "ru", "en"):
            assert (command, language) in seen, (command, language)
