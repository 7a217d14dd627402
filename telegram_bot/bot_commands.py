"""The bot's "/" command list, as Telegram shows it in each citizen's own language.

Telegram shows the list registered for the language of the citizen's Telegram app, and the
default list (the country's language) to everyone else. The descriptions are the bot's own
texts (the menu buttons' labels), so an operator who rewords a button in the admin rewords its
command too once the list is registered again.
"""

from __future__ import annotations

from django.conf import settings
from telegram import Bot, BotCommand

from channels_app.texts import LANGUAGES, text_render

# (command, text code), in the order Telegram lists them. Each command does what the button
# of the same text does (``dialogue.SLASH_COMMANDS`` and the /start, /language and /cancel
# branches of the dialogue).
COMMANDS = (
    ("start", "tg_command_start"),
    ("status", "tg_menu_cases"),
    ("queue", "tg_menu_queue"),
    ("payments", "tg_menu_payments"),
    ("language", "tg_menu_language"),
    ("cancel", "tg_command_cancel"),
)
# Telegram's limit on a command's description.
DESCRIPTION_LIMIT = 256


def bot_commands(language: str) -> list[BotCommand]:
    return [
        BotCommand(command, text_render(code, language)[:DESCRIPTION_LIMIT])
        for command, code in COMMANDS
    ]


def command_lists() -> dict[str, list[BotCommand]]:
    """Each language's list, and the default one ("") in the country's language."""
    lists = {language: bot_commands(language) for language in LANGUAGES}
    lists[""] = bot_commands(settings.LANGUAGE_CODE)
    return lists


async def commands_register(bot: Bot, lists: dict[str, list[BotCommand]]) -> None:
    for language, commands in lists.items():
        await bot.set_my_commands(commands, language_code=language or None)
