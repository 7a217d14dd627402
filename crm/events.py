"""Domain events: the core announces what happened, channels and the console listen.

These are Django signals sent only after the surrounding transaction commits, so a listener
never sees a row that was rolled back and may safely queue tasks or push to websockets.
A failing listener is logged and does not stop the others.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# kwargs: interaction_id, contact_id, conversation_id, channel, direction
interaction_recorded = Signal()
# kwargs: conversation_id, contact_id
conversation_changed = Signal()
# kwargs: survivor_id, merged_id
contacts_merged = Signal()
# kwargs: survivor, duplicate. Sent inside the merge's transaction, before rows move, so an app
# whose rows allow one per contact (an open callback) can settle the clash; a failure aborts.
contacts_merging = Signal()


def publish_after_commit(signal: Signal, sender: object, **kwargs: object) -> None:
    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("listener %r failed for %r", receiver, kwargs, exc_info=result)

    transaction.on_commit(send)
