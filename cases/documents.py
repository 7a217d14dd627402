"""What an uploaded file really is: decided by its first bytes, not its name."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

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
