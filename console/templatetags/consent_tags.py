"""The consent panel's data, for pages whose views belong to others (case, conversation)."""

from __future__ import annotations

from django import template

from crm.consents import ConsentOverview, consent_overview

from ..consent_forms import ConsentRecordForm
from ..views.consents import may_record_consent

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_panel_data(context, subject) -> dict:
    """What the panel shows about ``subject``, and whether this user may change it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    overview: ConsentOverview | None = consent_overview(subject=subject) if subject else None
    return {
        "overview": overview,
        "may_change": bool(user and user.is_authenticated and may_record_consent(user)),
        "form": ConsentRecordForm(),
        "next": request.get_full_path() if request else "",
    }


@register.filter
def relationship_label(value: str) -> str:
    """The relationship a representative gave, in the reader's language."""
    from cases.models import Case

    labels = dict(Case.Relationship.choices)
    return str(labels.get(value, value)) if value else ""
