"""Queueing side-effect tasks so that a broker outage defers them instead of losing them.

``task_dispatch(task, *args)`` publishes at once; when the broker is unreachable, the task and
its arguments are kept in ``DeferredTask`` and ``deferred_tasks_run`` (Celery beat) publishes
them again once it is back. Every task sent this way must be idempotent: a deferred one may
run late, and one whose publish failed half-way may run twice.
"""

from __future__ import annotations

import logging

from celery import Task, current_app
from django.conf import settings

from .models import DeferredTask

logger = logging.getLogger(__name__)


def task_dispatch(task: Task, *args: object, **kwargs: object) -> None:
    """Queue ``task(*args, **kwargs)``; kept for later when the broker cannot take it."""
    try:
        task.apply_async(args, kwargs, retry=False)
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, a timeout
        logger.warning("broker unreachable, deferring %s: %s", task.name, exc)
        DeferredTask.objects.create(
            task=task.name, args=list(args), kwargs=kwargs, error=str(exc)[:255]
        )


def deferred_tasks_run() -> int:
    """Publish deferred tasks, oldest first; stops at the first the broker still refuses."""
    published = 0
    for deferred in DeferredTask.objects.all()[: settings.DEFERRED_TASKS_BATCH]:
        task = current_app.tasks.get(deferred.task)
        if task is None:
            logger.error("deferred task %s is not registered; kept", deferred.task)
            continue
        try:
            task.apply_async(deferred.args, deferred.kwargs, retry=False)
        except Exception as exc:
            logger.warning("broker still unreachable (%s); %s deferred tasks wait", exc, deferred)
            break
        deferred.delete()
        published += 1
    return published
