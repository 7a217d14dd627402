"""Case papers: what an uploaded file really is (by its first bytes, not its name), how long
a paper stays valid, and who may open it."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import UploadedFile

if TYPE_CHECKING:
    from .models import CaseDocument

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# content type -> (magic prefix, extensions a person would give it)
ALLOWED_TYPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
}


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The allowed content type the file's magic bytes say, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, (magic, _extensions) in ALLOWED_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def extension_matches(name: str, content_type: str) -> bool:
    return PurePath(name or "").suffix.lower() in ALLOWED_TYPES[content_type][1]


def upload_problem(upload: UploadedFile) -> str | None:
    """Why a file cannot be stored ("too_large", "not_allowed"), or None when it can."""
    if upload.size > MAX_DOCUMENT_BYTES:
        return "too_large"
    content_type = sniff_content_type(upload)
    if content_type is None or not extension_matches(upload.name, content_type):
        return "not_allowed"
    return None


# --- validity: how recent a paper must be ------------------------------------------------------
# One answer for the submit guard, the console and the API: a paper with a validity of N
# months is valid on day d when it was issued on or after d minus N *calendar* months
# (dateutil clamps to the month's end: on 31 May, three months back is 28/29 February).


def valid_from(day: dt.date, months: int) -> dt.date:
    """The earliest issue date a paper valid for ``months`` may have on ``day``."""
    return day - relativedelta(months=months)


def issue_date_valid(issue_date: dt.date | None, months: int | None, day: dt.date) -> bool | None:
    """Is a paper issued on ``issue_date`` still valid on ``day``?

    None when the question does not arise (the paper has no validity); False when it has one
    but no issue date, since nobody can tell how old it is.
    """
    if not months:
        return None
    if issue_date is None:
        return False
    return issue_date >= valid_from(day, months)


def valid_until(issue_date: dt.date | None, months: int | None) -> dt.date | None:
    """The last day on which ``issue_date_valid`` still says yes (None: no limit or no date).

    Not simply issue date + N months: a paper issued on 28 February is still valid on 31 May,
    because on every day of 28-31 May three months back is the end of February.
    """
    if not months or issue_date is None:
        return None
    last = issue_date + relativedelta(months=months)
    while issue_date_valid(issue_date, months, last + dt.timedelta(days=1)):
        last += dt.timedelta(days=1)
    return last


# --- who may open a paper ----------------------------------------------------------------------
# Health papers are special-category personal data: the case's social workers, the offices
# deciding and the care home read them; the call centre (agents, and supervisors who read
# figures, not files) see that they exist but never open them.
HEALTH_DOCUMENT_BARRED_ROLES = frozenset({"agent", "supervisor"})


def is_health_document(document: CaseDocument) -> bool:
    required = document.required_document if document.required_document_id else None
    return bool(required and required.is_health_document)


def may_open_document(user, document: CaseDocument) -> bool:
    """May ``user`` (who already sees the case) open this file?"""
    if not is_health_document(document):
        return True
    return getattr(user, "role", None) not in HEALTH_DOCUMENT_BARRED_ROLES
