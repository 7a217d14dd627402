"""Celery tasks of the bot; each may run twice and does its work once."""

from __future__ import annotations

from celery import shared_task

from .updates import update_process, updates_sweep


@shared_task(acks_late=True)
def telegram_update_process(update_id: int) -> str:
    return update_process(update_id)


@shared_task
def telegram_updates_requeue() -> int:
    """Every minute: stored updates whose task never ran (or failed and may retry)."""
    ids = updates_sweep()
    for update_id in ids:
        telegram_update_process.delay(update_id)
    return len(ids)
