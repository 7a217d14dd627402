"""The case page's upload form as a browser posts it: one formset row per file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def upload_data(*files: tuple, page: str = "") -> dict:
    """``files``: (name, content, document, issue_date) per file; ``document`` is a required
    document (its id is sent as "required:<id>") or an office paper's kind."""
    data: dict = {
        "doc-TOTAL_FORMS": str(len(files)),
        "doc-INITIAL_FORMS": "0",
        "doc-MIN_NUM_FORMS": "0",
        "doc-MAX_NUM_FORMS": "20",
    }
    for index, (name, content, document, issue_date) in enumerate(files):
        value = document if isinstance(document, str) else f"required:{document.pk}"
        data[f"doc-{index}-file"] = SimpleUploadedFile(name, content)
        data[f"doc-{index}-document"] = value
        data[f"doc-{index}-issue_date"] = issue_date.isoformat() if issue_date else ""
    if page:
        data["page"] = page
    return data
