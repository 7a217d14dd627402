from __future__ import annotations

import logging

from celery import shared_task

from .retention import audit_purge_expired

logger = logging.getLogger(__name__)


@shared_task(name="audit.tasks.audit_purge_expired")
def audit_purge_expired_task() -> int:
    """Daily; running it twice deletes nothing more."""
    removed = audit_purge_expired()
    if removed:
        logger.info("audit retention: %s rows older than the retention period deleted", removed)
    return removed
