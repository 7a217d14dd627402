"""Which requests are reads or changes of a citizen's data, by URL name: one table.

The middleware looks each finished request up here, so no API view or console page carries
its own audit code. A view that shows a list it built itself names the rows with
``audit_shown`` (one line); everything else is read from the URL and the response.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from .models import Action

SAFE = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Point:
    """How one URL name is audited.

    ``read``: the action of a GET (``read`` or ``list``); ``write``: the action of a
    successful POST/PATCH/PUT/DELETE. ``key`` names the URL argument holding the object's id
    (or the id comes from the response for a create). ``subject`` is the object type whose
    id the URL argument holds when it differs from ``object_type`` (a reply is a new
    interaction in a conversation). ``detail_key`` names the URL argument that says which
    case action was taken; ``detail`` names the change when the URL does not.
    """

    object_type: str
    read: str | None = None
    write: str | None = None
    key: str | None = "pk"
    subject: str | None = None
    detail_key: str | None = None
    id_from_response: bool = False
    detail: str = ""


API = {
    "contact-list": Point("contact", read=Action.LIST, key=None),
    "contact-detail": Point("contact", read=Action.READ),
    "contact-timeline": Point("timeline", read=Action.READ, subject="contact"),
    "contact-merge": Point("contact", write=Action.UPDATE, detail="merge"),
    "contact-lookup": Point("contact", write=Action.READ, key=None, id_from_response=True),
    "case-list": Point(
        "case", read=Action.LIST, write=Action.CREATE, key=None, id_from_response=True
    ),
    "case-detail": Point("case", read=Action.READ, write=Action.UPDATE),
    "case-apply-action": Point("case", write=Action.UPDATE, detail_key="action_name"),
    "case-documents": Point("document", write=Action.CREATE, subject="case", id_from_response=True),
    "case-document-file": Point("document", read=Action.READ, key="document_id"),
    "audit-list": Point("audit", read=Action.LIST, key=None),
    "case-mark": Point("case", read=Action.READ, write=Action.UPDATE),
    "case-payments": Point("case", read=Action.READ),
    "payment-list": Point("case", read=Action.LIST, key=None),
}

CONSOLE = {
    "contacts": Point("contact", read=Action.LIST, key=None),
    "identify": Point("contact", read=Action.LIST, key=None),
    "contact_pick": Point("contact", read=Action.LIST, key=None),
    "contact": Point("contact", read=Action.READ),
    "contact_merge": Point("contact", write=Action.UPDATE, detail="merge"),
    "contact_registry": Point("contact", write=Action.READ, key=None),
    "conversation": Point("timeline", read=Action.READ, subject="conversation"),
    "conversation_timeline": Point("timeline", read=Action.READ, subject="conversation"),
    "reply": Point("interaction", write=Action.CREATE, subject="conversation", detail="reply"),
    "note": Point("interaction", write=Action.CREATE, subject="conversation", detail="note"),
    "manage": Point("conversation", write=Action.UPDATE, detail="manage"),
    "link": Point("conversation", write=Action.UPDATE, detail="link"),
    "worklist": Point("case", read=Action.LIST, key=None),
    "inbox": Point("conversation", read=Action.LIST, key=None),
    "inbox_list": Point("conversation", read=Action.LIST, key=None),
    "case": Point("case", read=Action.READ),
    "case_decide": Point("case", read=Action.READ),
    "case_action": Point("case", write=Action.UPDATE, detail_key="action"),
    "case_edit": Point("case", write=Action.UPDATE),
    "case_upload": Point("document", write=Action.CREATE, subject="case"),
    "case_document": Point("document", read=Action.READ, key="document_pk"),
    "voicemail_audio": Point("interaction", read=Action.READ, detail="voicemail"),
    "callback_update": Point("callback", write=Action.UPDATE),
    "callback_outcome": Point("callback", write=Action.UPDATE, detail="outcome"),
    "case_new": Point("case", write=Action.CREATE, key="conversation_pk", subject="conversation"),
    "payments": Point("case", read=Action.LIST, key=None),
    "consent_add": Point("contact", write=Action.UPDATE, detail="consent"),
    "consent_messages_stop": Point("contact", write=Action.UPDATE, detail="no_messages"),
    "consent_withdraw": Point("consent", write=Action.CONSENT_WITHDRAW),
    "walkin": Point("contact", write=Action.READ, key=None),
    "walkin_person": Point(
        "contact", read=Action.READ, write=Action.CREATE, detail="walk_in_application"
    ),
    "walkin_household": Point("contact", write=Action.UPDATE, detail="household"),
    "walkin_documents": Point("case", read=Action.READ, write=Action.UPDATE, detail="documents"),
}

# Admin pages of models that hold a citizen's data: (app_label, model_name) -> object type.
ADMIN_MODELS = {
    ("crm", "contact"): "contact",
    ("crm", "identity"): "identity",
    ("crm", "interaction"): "interaction",
    ("crm", "conversation"): "conversation",
    ("crm", "contactmerge"): "merge",
    ("crm", "household"): "household",
    ("crm", "user"): "staff_account",
    ("cases", "case"): "case",
    ("cases", "casedocument"): "document",
    ("cases", "caseevent"): "case_event",
    ("channels_app", "outboundmessage"): "outbound_message",
    ("channels_app", "callbackrequest"): "callback",
    ("audit", "auditentry"): "audit",
}


def admin_point(url_name: str) -> Point | None:
    """``crm_contact_change`` -> a read of a contact; ``..._changelist`` -> a list read.

    Admin changes are recorded from Django's own admin log (``receivers``), not here.
    """
    for (app, model), object_type in ADMIN_MODELS.items():
        prefix = f"{app}_{model}_"
        if url_name.startswith(prefix):
            rest = url_name[len(prefix) :]
            if rest == "change":
                return Point(object_type, read=Action.READ, key="object_id")
            if rest == "changelist":
                return Point(object_type, read=Action.LIST, key=None)
    return None


def point_for(request: HttpRequest) -> Point | None:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return None
    if match.namespace == "console":
        return CONSOLE.get(match.url_name)
    if match.namespace == "admin":
        return admin_point(match.url_name)
    if not match.namespace:
        return API.get(match.url_name)
    return None


def shown_ids(request: HttpRequest, response: HttpResponse) -> list | None:
    """The ids a list read showed: named by the view, or read from an API page or admin list."""
    named = getattr(request, "_audit_shown", None)
    if named is not None:
        return named
    data = getattr(response, "data", None)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return [row.get("id") for row in data["results"] if isinstance(row, dict)]
    if isinstance(data, list):
        return [row.get("id") for row in data if isinstance(row, dict)]
    context = getattr(response, "context_data", None) or {}
    changelist = context.get("cl") if isinstance(context, dict) else None
    if changelist is not None:
        return [obj.pk for obj in changelist.result_list]
    return None


def audit_shown(request: HttpRequest, rows: list) -> None:
    """A view names the rows its list showed (objects or ids): one audit row lists them."""
    request._audit_shown = [getattr(r, "pk", r) for r in rows]
