"""Photos and documents a citizen sends: fetched with ``getFile``, checked by content later."""

from __future__ import annotations

from telegram import Message

from cases.documents import MAX_DOCUMENT_BYTES

from .client import telegram_call, telegram_configured


class MediaError(Exception):
    """The file cannot be taken (too large, not downloadable)."""


def media_download(message: Message) -> tuple[str, bytes]:
    """(file name, bytes) of the message's document or largest photo."""
    if message.document is not None:
        attachment = message.document
        name = message.document.file_name or "document"
    elif message.photo:
        attachment = message.photo[-1]  # Telegram lists sizes smallest first
        name = f"photo-{attachment.file_unique_id}.jpg"
    else:
        raise MediaError("no file in the message")
    if attachment.file_size and attachment.file_size > MAX_DOCUMENT_BYTES:
        raise MediaError(f"{attachment.file_size} bytes is over the limit")
    if not telegram_configured():
        raise MediaError("no bot token: files cannot be fetched from Telegram")
    file_id = attachment.file_id

    async def fetch(bot) -> bytes:
        remote = await bot.get_file(file_id)
        if remote.file_size and remote.file_size > MAX_DOCUMENT_BYTES:
            raise MediaError(f"{remote.file_size} bytes is over the limit")
        return bytes(await remote.download_as_bytearray())

    return name, telegram_call(fetch)
