"""Old audit rows go after the retention period: the one way a row is ever deleted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import AuditEntry


def audit_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete rows older than ``AUDIT_RETENTION_DAYS``; answers how many went."""
    days = settings.AUDIT_RETENTION_DAYS
    if not days or days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    # The plain QuerySet.delete: AuditQuerySet refuses deletes everywhere else.
    return models.QuerySet.delete(AuditEntry.objects.filter(at__lt=cutoff))[0]
