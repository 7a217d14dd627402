"""What the channel hub settles when two contacts are merged."""

from __future__ import annotations

from django.utils import timezone

from crm.models import Contact

from .models import CallbackRequest


def settle_open_callbacks(*, sender, survivor: Contact, duplicate: Contact, **kwargs) -> None:
    """One open callback per citizen: the duplicate's folds into the survivor's.

    The survivor keeps the task that is due first; the other is cancelled with a note, so
    agents never dial the same person twice and no request is silently dropped.
    """
    open_calls = list(
        CallbackRequest.objects.select_for_update()
        .filter(contact__in=[survivor, duplicate], status=CallbackRequest.Status.OPEN)
        .order_by("due_at", "id")
    )
    if len(open_calls) < 2:
        return
    keeper, *others = open_calls
    for callback in others:
        callback.status = CallbackRequest.Status.CANCELLED
        callback.done_at = timezone.now()
        callback.note = f"merged into callback #{keeper.pk}"[:255]
        callback.save(update_fields=["status", "done_at", "note"])
