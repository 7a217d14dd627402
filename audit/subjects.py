"""Which citizen an audited object belongs to: "who looked at this person" needs it."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps

# object type -> (model label, field path to the contact id)
_CONTACT_PATHS: dict[str, tuple[str, str]] = {
    "case": ("cases.Case", "beneficiary_id"),
    "document": ("cases.CaseDocument", "case__beneficiary_id"),
    "case_event": ("cases.CaseEvent", "case__beneficiary_id"),
    "conversation": ("crm.Conversation", "contact_id"),
    "interaction": ("crm.Interaction", "contact_id"),
    "identity": ("crm.Identity", "contact_id"),
    "merge": ("crm.ContactMerge", "survivor_id"),
    "outbound_message": ("channels_app.OutboundMessage", "contact_id"),
    "callback": ("channels_app.CallbackRequest", "contact_id"),
    "consent": ("crm.Consent", "subject_id"),
}
_SELF = {"contact", "timeline"}


def register_subject(object_type: str, model_label: str, contact_path: str) -> None:
    """Another app's object type whose rows belong to a citizen."""
    _CONTACT_PATHS[object_type] = (model_label, contact_path)


def contacts_of(object_type: str, ids: Iterable) -> dict[str, int | None]:
    """{object id as text: contact id} in one query (none for a contact's own id)."""
    wanted = {str(i) for i in ids if i not in (None, "")}
    if not wanted:
        return {}
    if object_type in _SELF:
        return {i: int(i) for i in wanted if i.isdigit()}
    if object_type not in _CONTACT_PATHS:
        return {}
    label, path = _CONTACT_PATHS[object_type]
    model = apps.get_model(label)
    numeric = [int(i) for i in wanted if i.isdigit()]
    rows = model._default_manager.filter(pk__in=numeric).values_list("pk", path)
    return {str(pk): contact for pk, contact in rows}


def contact_of(object_type: str, object_id) -> int | None:
    return contacts_of(object_type, [object_id]).get(str(object_id))
