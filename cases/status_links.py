"""Public status links of cases: the token a printed ticket's QR code carries."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from .models import Case, CaseStatusLink

# 32 random bytes: unguessable, and short enough for a QR code a phone reads off thermal paper.
TOKEN_BYTES = 32


@transaction.atomic
def case_status_link_issue(*, case: Case) -> CaseStatusLink:
    """The case's live status link, made on first use; a reprinted ticket shows the same one."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    link = CaseStatusLink.objects.filter(case=case, revoked_at__isnull=True).first()
    if link is not None:
        return link
    return CaseStatusLink.objects.create(case=case, token=secrets.token_urlsafe(TOKEN_BYTES))


@transaction.atomic
def case_status_link_revoke(*, case: Case) -> int:
    """Every live link of the case stops working at once; returns how many were revoked."""
    return CaseStatusLink.objects.filter(case=case, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def case_for_status_token(*, token: str) -> Case | None:
    """The case a live token opens, or None (unknown, malformed or revoked alike)."""
    if not token or len(token) > 64:
        return None
    link = (
        CaseStatusLink.objects.select_related("case", "case__service")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    return link.case if link else None
