"""How many SMS a text costs: GSM-7 (160/153 characters) or UCS-2 (70/67).

One character outside the GSM-7 alphabet (any Cyrillic letter, for one) turns the whole
message into UCS-2, which is why Mongolian, Kazakh and Russian texts cost more than twice
as much as English ones of the same length.
"""

from __future__ import annotations

from dataclasses import dataclass

# 3GPP TS 23.038 default alphabet and its extension table (extension characters cost two).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int

    def __str__(self) -> str:
        return f"{self.segments} × {self.encoding} ({self.units})"


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_segments(text: str) -> SegmentCount:
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        # Characters beyond the BMP (emoji) take two UTF-16 code units.
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    segments = (1 if units else 0) if units <= single else -(-units // multi)
    return SegmentCount(encoding, units, segments)
