"""The case core's background and periodic jobs: deadlines, the mark's registry checks and
its expiry."""

from __future__ import annotations

from celery import shared_task

from .deadlines import deadlines_check


@shared_task(ignore_result=True)
def deadlines_check_task() -> dict[str, int]:
    """Record missed deadlines, tell the holders, escalate (Celery beat, every minute)."""
    result = deadlines_check()
    return {"recorded": result.recorded, "resolved": result.resolved, "escalated": result.escalated}


@shared_task(name="cases.tasks.mark_registry_check", acks_late=True)
def mark_registry_check(case_id: int) -> str:
    from .marks import mark_registry_check as check

    return check(case_id=case_id)


@shared_task(name="cases.tasks.marks_expire")
def marks_expire() -> int:
    from .marks import marks_expire as expire

    return expire()


@shared_task(name="cases.tasks.case_tally_reconcile")
def case_tally_reconcile() -> int:
    """Recount the maintained case counts (nightly); returns how many groups were wrong."""
    from .tally import tally_rebuild

    return tally_rebuild()
