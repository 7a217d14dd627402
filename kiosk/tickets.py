"""The printed receipt: case number, date, what to bring, and a QR code of the status link."""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.status_links import case_status_link_issue
from crm.models import Contact

from .selectors import citizen_case


def status_url(token: str) -> str:
    """The public status link the QR code carries (what a phone opens off the ticket)."""
    return settings.PUBLIC_BASE_URL + reverse("status-page", args=[token])


def qr_png(data: str) -> str:
    """A QR code as a PNG data URI (an <img> any print path handles).

    Medium error correction survives a smudged thermal print; the quiet zone of 4 modules is
    what phone cameras need to find the code.
    """
    return segno.make_qr(data, error="m").png_data_uri(scale=6, border=4)


def ticket_for(*, case: Case, contact: Contact, language: str) -> dict:
    link = case_status_link_issue(case=case)
    url = status_url(link.token)
    view = citizen_case(case=case, contact=contact, language=language)
    return {
        "number": view["number"],
        "service": view["service"],
        "status_label": view["status_label"],
        "next_step": view["next_step"],
        "bring": view["missing_documents"],
        "printed": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "status_url": url,
        "qr": qr_png(url),
    }
