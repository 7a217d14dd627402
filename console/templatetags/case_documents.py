"""Who may open which case paper, asked from the template with the signed-in reader, so the
documents card hides what the reader may not open whoever builds the page's context."""

from __future__ import annotations

from django import template

from cases.documents import may_open_document

register = template.Library()


@register.filter
def openable_by(document, user) -> bool:
    """``{% if entry.document|openable_by:request.user %}``"""
    return may_open_document(user, document)


@register.filter
def closed_papers_for(rows, user) -> bool:
    """Does the document list hold a file ``user`` may see listed but not open?"""
    return any(
        not may_open_document(user, entry.document)
        for row in rows or ()
        for entry in row.get("entries", ())
    )
