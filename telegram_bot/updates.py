"""Reading a raw update before the library parses it: who sent it, and what kind it is."""

from __future__ import annotations

# What the bot acts on; every other kind is kept as received and needs nothing more.
HANDLED = ("message", "callback_query", "my_chat_member")


def update_kind(payload: dict) -> str:
    return next((key for key in payload if key != "update_id"), "")


def update_sender(payload: dict) -> str:
    """The Telegram user id behind the update: one user's updates are handled in order."""
    body = payload.get(update_kind(payload))
    if isinstance(body, dict):
        sender = body.get("from") or body.get("user") or {}
        if isinstance(sender, dict) and sender.get("id") is not None:
            return str(sender["id"])
        chat = body.get("chat") or {}
        if isinstance(chat, dict) and chat.get("id") is not None:
            return str(chat["id"])
    return ""


def without_nul(value):
    """The update with NUL characters replaced (PostgreSQL's jsonb cannot hold them)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value
