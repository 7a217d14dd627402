"""The SMS keywords, in the four languages, Latin and Cyrillic.

The first word decides; case does not matter, nor do the Kazakh and Mongolian letters typed
as their closest Russian ones (ТОЛОВ for ТӨЛӨВ, КОНЫРАУ for ҚОҢЫРАУ), which phones without a
Mongolian or Kazakh keyboard produce. Each spelling also tells the citizen's language,
used when we do not know it yet.

command   en                 mn                  ru                          kk
status    STATUS             ТӨЛӨВ, TOLOV        СТАТУС                      МӘРТЕБЕ, MARTEBE
queue     QUEUE              ДАРААЛАЛ, DARAALAL  ОЧЕРЕДЬ, OCHERED            КЕЗЕК, KEZEK
call      CALL               ЗАЛГА, ZALGA        ПОЗВОНИТЬ, ЗВОНОК, POZVONIT ҚОҢЫРАУ, KONYRAU
help      HELP               ТУСЛАМЖ, TUSLAMJ    ПОМОЩЬ, POMOSH              КӨМЕК, KOMEK
stop      STOP, UNSUBSCRIBE  ЗОГС, ZOGS          СТОП                        ТОҚТА, TOKTA
start     START, UNSTOP      ЭХЛЭХ, EHLEH        СТАРТ                       БАСТАУ, BASTAU
payments  PAYMENTS           ТЭТГЭМЖ, TETGEMJ    ВЫПЛАТЫ, VYPLATY            ТӨЛЕМ, TOLEM

status = the citizen's cases, or ``STATUS <case number>`` for one; queue = place in the
placement queue; call = ask for a call back; stop/start = opt out of and back into messages;
payments = the months each allowance has been paid.
"""

from __future__ import annotations

import re

from channels_app.commands import CALL, HELP, PAYMENTS, QUEUE, START, STATUS, STOP
from channels_app.registry import ParsedCommand

KEYWORDS: dict[str, tuple[str, str]] = {}


def _add(command: str, language: str, *spellings: str) -> None:
    for spelling in spellings:
        KEYWORDS[_fold(spelling)] = (command, language)


# Kazakh/Mongolian letters a Russian keyboard lacks, folded to the letter people type instead.
_FOLD = str.maketrans(
    {"ө": "о", "ү": "у", "ә": "а", "қ": "к", "ң": "н", "ғ": "г", "ұ": "у", "һ": "х", "і": "и"}
)


def _fold(word: str) -> str:
    return word.casefold().translate(_FOLD).replace("ё", "е")


_add(STATUS, "en", "STATUS")
_add(STATUS, "mn", "ТӨЛӨВ", "TOLOV")
_add(STATUS, "ru", "СТАТУС")
_add(STATUS, "kk", "МӘРТЕБЕ", "MARTEBE")
_add(QUEUE, "en", "QUEUE")
_add(QUEUE, "mn", "ДАРААЛАЛ", "DARAALAL")
_add(QUEUE, "ru", "ОЧЕРЕДЬ", "OCHERED")
_add(QUEUE, "kk", "КЕЗЕК", "KEZEK")
_add(CALL, "en", "CALL")
_add(CALL, "mn", "ЗАЛГА", "ZALGA")
_add(CALL, "ru", "ПОЗВОНИТЬ", "ЗВОНОК", "POZVONIT")
_add(CALL, "kk", "ҚОҢЫРАУ", "KONYRAU")
_add(HELP, "en", "HELP")
_add(HELP, "mn", "ТУСЛАМЖ", "TUSLAMJ")
_add(HELP, "ru", "ПОМОЩЬ", "POMOSH")
_add(HELP, "kk", "КӨМЕК", "KOMEK")
_add(STOP, "en", "STOP", "UNSUBSCRIBE")
_add(STOP, "mn", "ЗОГС", "ZOGS")
_add(STOP, "ru", "СТОП")
_add(STOP, "kk", "ТОҚТА", "TOKTA")
_add(START, "en", "START", "UNSTOP")
_add(START, "mn", "ЭХЛЭХ", "EHLEH")
_add(START, "ru", "СТАРТ")
_add(START, "kk", "БАСТАУ", "BASTAU")
_add(PAYMENTS, "en", "PAYMENTS")
_add(PAYMENTS, "mn", "ТЭТГЭМЖ", "TETGEMJ")
_add(PAYMENTS, "ru", "ВЫПЛАТЫ", "VYPLATY")
_add(PAYMENTS, "kk", "ТӨЛЕМ", "TOLEM")

# Words that take an argument (a case number); for the rest, more words mean free text.
_TAKES_ARGUMENT = {STATUS, QUEUE}
_WORD = re.compile(r"^\s*([^\s.,!?:;]+)[\s.,!?:;]*(.*?)\s*$", re.DOTALL)


def keyword_parse(text: str) -> ParsedCommand | None:
    """The command in an SMS, or None when it is a message for the agents."""
    match = _WORD.match(text or "")
    if not match:
        return None
    first, rest = match.groups()
    found = KEYWORDS.get(_fold(first))
    if found is None:
        return None
    command, language = found
    rest = rest.strip()
    if rest and command not in _TAKES_ARGUMENT:
        # "Stop by the office tomorrow?" is a question for an agent, not an opt-out; as with
        # carriers' own STOP handling, only the lone word (punctuation aside) counts.
        return None
    if rest and len(rest.split()) > 1:
        return None
    return ParsedCommand(name=command, language=language, argument=rest)
