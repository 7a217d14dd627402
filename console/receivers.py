"""Listeners on the domain events (connected in ConsoleConfig.ready).

The events arrive after commit, inside the request (or task) that caused them. The console's
reaction — assigning a waiting conversation, computing who may see it, pushing to every
such console over the channel layer — is work the citizen's webhook must not wait for, so each
listener only queues ``console.tasks.console_react``. On the embedded default Celery runs
eagerly and the reaction happens in-process as before; in production a worker does it.
"""

from __future__ import annotations

from django.dispatch import receiver

from cases.events import case_created, case_transitioned, deadline_missed
from channels_app.events import callback_requested
from crm.events import contacts_merged, conversation_changed, interaction_recorded

from .tasks import console_react


@receiver(interaction_recorded, dispatch_uid="console.interaction_recorded")
def on_interaction(sender, *, interaction_id, contact_id, conversation_id, direction, **kw):
    console_react.delay(
        "interaction",
        {"contact_id": contact_id, "conversation_id": conversation_id, "direction": direction},
    )


@receiver(conversation_changed, dispatch_uid="console.conversation_changed")
def on_conversation_changed(sender, *, conversation_id, **kw):
    console_react.delay("conversation", {"conversation_id": conversation_id})


@receiver(contacts_merged, dispatch_uid="console.contacts_merged")
def on_contacts_merged(sender, *, survivor_id, **kw):
    console_react.delay("contact", {"contact_id": survivor_id, "kind": "timeline"})


@receiver(case_created, dispatch_uid="console.case_created")
def on_case_created(sender, *, case_id, **kw):
    console_react.delay("case", {"case_id": case_id})


@receiver(case_transitioned, dispatch_uid="console.case_transitioned")
def on_case_transitioned(sender, *, case_id, **kw):
    console_react.delay("case", {"case_id": case_id})


@receiver(callback_requested, dispatch_uid="console.callback_requested")
def on_callback_requested(sender, *, contact_id, **kw):
    console_react.delay("contact", {"contact_id": contact_id, "kind": "callback"})


@receiver(deadline_missed, dispatch_uid="console.deadline_missed")
def on_deadline_missed(sender, *, breach_id, recipient_ids, level, **kw):
    console_react.delay(
        "deadline", {"breach_id": breach_id, "recipient_ids": list(recipient_ids), "level": level}
    )
