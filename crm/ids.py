"""Reading a row id that a person or a program typed."""

from __future__ import annotations

# The largest value a bigint primary key holds: anything longer is no row of ours.
MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """The id in ``raw`` (ASCII digits only, within a bigint), else None.

    ``str.isdigit`` also accepts "¹" or "٣" and any length; ``int()`` then fails or the
    database refuses the number, and a typo becomes a server error.
    """
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
