"""Changes made in Django's admin, from the admin's own log, in the same transaction."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from . import recorder
from .models import Action
from .points import ADMIN_MODELS
from .subjects import contact_of

_ACTIONS = {ADDITION: Action.CREATE, CHANGE: Action.UPDATE, DELETION: Action.DELETE}


def on_admin_log(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or instance.content_type_id is None:
        return
    content_type = instance.content_type
    object_type = ADMIN_MODELS.get((content_type.app_label, content_type.model))
    if object_type is None:
        return
    # A deleted object can no longer name its citizen; its id is still recorded.
    contact = (
        None if instance.action_flag == DELETION else contact_of(object_type, instance.object_id)
    )
    recorder.audit_record(
        actor=instance.user,
        action=_ACTIONS.get(instance.action_flag, Action.UPDATE),
        object_type=object_type,
        object_id=instance.object_id,
        contact_id=contact,
    )


def connect() -> None:
    post_save.connect(on_admin_log, sender=LogEntry, dispatch_uid="audit.admin_log")
