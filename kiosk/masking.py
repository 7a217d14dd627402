"""What a public screen may show of a national ID or an address: never the whole of it."""

from __future__ import annotations

MASK = "•"


def mask_national_id(value: str) -> str:
    """ "УБ••••••12" / "••••••••••34": enough for the citizen to recognise their own number."""
    value = value or ""
    if len(value) <= 4:
        return MASK * len(value)
    head = value[:2] if not value[:2].isdigit() else ""
    return head + MASK * (len(value) - len(head) - 2) + value[-2:]


def mask_address(channel: str, address: str) -> str:
    """The last digits of the phone (or Telegram) the code went to: "•••• 2233"."""
    digits = "".join(ch for ch in address or "" if ch.isdigit())
    return f"{MASK * 4} {digits[-4:]}" if len(digits) > 4 else MASK * 4
