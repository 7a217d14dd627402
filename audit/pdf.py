"""The citizen's data export as a readable PDF (reportlab), in the reader's language."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

logger = logging.getLogger(__name__)

# Cyrillic needs a TrueType font: reportlab's built-in Helvetica has no Cyrillic glyphs.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
FONT_NAME = "ExportSans"


def _font() -> str:
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    configured = getattr(settings, "AUDIT_PDF_FONT", "")
    for candidate in (configured, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, candidate))
            return FONT_NAME
    logger.warning("no TrueType font with Cyrillic found; set AUDIT_PDF_FONT to a .ttf file")
    return "Helvetica"


def _sections() -> dict[str, str]:
    return {
        "contact": _("Personal details"),
        "identities": _("Phone numbers, chat ids and national IDs"),
        "households": _("Household"),
        "conversations": _("Conversations"),
        "interactions": _("Messages, calls and notes"),
        "merges": _("Duplicate records merged"),
        "consents": _("Consents"),
        "cases": _("Requests (cases)"),
        "outbox": _("Messages sent to the citizen"),
        "callbacks": _("Call-back requests"),
        "inbound_replies": _("Automatic answers"),
        "audit_trail": _("Who read or changed these records"),
    }


def _text(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _Writer:
    def __init__(self) -> None:
        font = _font()
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=8.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9)
        self.h1 = ParagraphStyle("h1", parent=base["Title"], fontName=font, fontSize=15)
        self.h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=font, fontSize=11.5)
        self.h3 = ParagraphStyle("h3", parent=base["Heading3"], fontName=font, fontSize=9.5)
        self.story: list = []

    def para(self, text: str, style=None) -> Paragraph:
        return Paragraph(escape(text), style or self.body)

    def record(self, record: dict) -> None:
        rows = []
        nested = []
        for key, value in record.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                nested.append((key, value))
                continue
            rows.append(
                [self.para(key.replace("_", " "), self.small), self.para(_text(value), self.small)]
            )
        if rows:
            table = Table(rows, colWidths=[45 * mm, 125 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                    ]
                )
            )
            self.story.append(table)
        for key, items in nested:
            self.story.append(self.para(key.replace("_", " "), self.h3))
            for item in items:
                self.record(item)
        self.story.append(Spacer(1, 3 * mm))

    def holder(self, name: str, data) -> None:
        self.story.append(self.para(_sections().get(name, name.replace("_", " ")), self.h2))
        items = data if isinstance(data, list) else [data]
        if not items:
            self.story.append(self.para(_("Nothing held."), self.body))
        for item in items:
            if isinstance(item, dict):
                self.record(item)
            else:
                self.story.append(self.para(_text(item)))


def export_pdf(data: dict) -> bytes:
    """A PDF of ``rights.contact_data_export``'s answer, section by section."""
    writer = _Writer()
    writer.story.append(
        writer.para(_("Data held about citizen #%(id)s") % {"id": data["contact_id"]}, writer.h1)
    )
    writer.story.append(
        writer.para(
            _("Exported %(at)s by %(by)s.") % {"at": data["exported_at"], "by": data["exported_by"]}
        )
    )
    for name, records in data["records"].items():
        writer.holder(name, records)
    for merged in data.get("merged_records", []):
        writer.story.append(
            writer.para(_("Merged record #%(id)s") % {"id": merged["contact_id"]}, writer.h1)
        )
        for name, records in merged["records"].items():
            writer.holder(name, records)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Citizen {data['contact_id']}",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    document.build(writer.story)
    return buffer.getvalue()
