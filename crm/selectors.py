"""Reads of the CRM, always through the caller's jurisdiction."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from .identities import IdentityError, normalize_identity
from .jurisdiction import contacts_visible_to, timeline_scope
from .models import Contact, Household, Identity, Interaction, User
from .national_ids import looks_like_national_id
from .phones import looks_like_phone


def contact_search(*, user: User, query: str) -> QuerySet[Contact]:
    """Contacts the user may see matching a national ID, a phone number or a name."""
    visible = contacts_visible_to(user).filter(merged_into__isnull=True)
    text = (query or "").strip()
    if not text:
        return visible.none()
    identity_match = None
    if looks_like_national_id(text):
        identity_match = (Identity.Scheme.NATIONAL_ID, text)
    elif looks_like_phone(text):
        identity_match = (Identity.Scheme.PHONE, text)
    if identity_match:
        try:
            value = normalize_identity(*identity_match)
        except IdentityError:
            value = None
        if value:
            return visible.filter(
                pk__in=Identity.objects.filter(scheme=identity_match[0], value=value).values(
                    "contact_id"
                )
            )
    name_q = Q()
    for word in Contact.fold_name(text).split():
        # A word matches the start of any name part.
        name_q &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    return visible.filter(name_q)


def contact_get(*, user: User, pk: int) -> Contact:
    """The contact if the user may see it; Contact.DoesNotExist otherwise (a 404, not 403)."""
    return (
        contacts_visible_to(user)
        .select_related("address_unit", "merged_into")
        .prefetch_related("identities", "target_groups")
        .get(pk=pk)
    )


def contact_timeline(*, contact: Contact, user: User | None = None) -> QuerySet[Interaction]:
    """The contact's interactions, newest first; with ``user``, only what they may read."""
    scope = timeline_scope(user, contact) if user is not None else Q()
    return (
        Interaction.objects.filter(scope, contact=contact)
        .select_related("author")
        .order_by("-occurred_at", "-id")
    )


def contacts_with_identities(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.select_related("address_unit").prefetch_related(
        Prefetch("identities", queryset=Identity.objects.order_by("scheme", "id"))
    )


def household_per_capita_income(*, household: Household) -> Decimal:
    """Average monthly income per member (seed 004's means test)."""
    members = household.members.aggregate(total=Sum("monthly_income"))
    count = household.members.count()
    if not count:
        return Decimal("0")
    return (members["total"] or Decimal("0")) / count
