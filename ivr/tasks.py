"""Housekeeping of the hotline's rows."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import CallStep


@shared_task(ignore_result=True)
def call_steps_prune() -> int:
    """Forget stored step answers once Twilio can no longer retry them (calls end in hours)."""
    cutoff = timezone.now() - dt.timedelta(days=settings.IVR_STEP_KEEP_DAYS)
    deleted, _ = CallStep.objects.filter(created_at__lt=cutoff).delete()
    return deleted
