"""The case core's periodic jobs."""

from __future__ import annotations

from celery import shared_task

from .deadlines import deadlines_check


@shared_task(ignore_result=True)
def deadlines_check_task() -> dict[str, int]:
    """Record missed deadlines, tell the holders, escalate (Celery beat, every minute)."""
    result = deadlines_check()
    return {"recorded": result.recorded, "resolved": result.resolved, "escalated": result.escalated}
