"""A person's household as the local worker records it: who lives with them, how related,
what they earn (the per-capita income of social assistance reads it).

A person belongs to the household of their latest membership, as the assistance workflow
reads it; a household is made the first time someone is added to a person's family.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import Conflict, NotFound, ValidationFailed
from .models import Contact, Household, HouseholdMember
from .services import contact_from_registry


def household_of(*, contact: Contact) -> Household | None:
    """The household the person lives in now (their latest membership), if any."""
    membership = (
        HouseholdMember.objects.filter(contact=contact)
        .select_related("household")
        .order_by("-household__created_at", "-id")
        .first()
    )
    return membership.household if membership else None


def household_members(*, household: Household | None) -> list[HouseholdMember]:
    if household is None:
        return []
    return list(
        household.members.select_related("contact").order_by("relationship", "contact__last_name")
    )


@transaction.atomic
def household_member_add(
    *,
    person: Contact,
    national_id: str,
    relationship: str,
    monthly_income: Decimal = Decimal(0),
) -> HouseholdMember:
    """Add someone, found by national ID (the registry fills in who they are), to the
    household ``person`` lives in; the household is made, with ``person`` as its head,
    when they have none yet."""
    if relationship not in HouseholdMember.Relationship.values:
        raise ValidationFailed(
            _("Choose how the member is related to the person."),
            details={"relationship": HouseholdMember.Relationship.values},
        )
    if monthly_income < 0:
        raise ValidationFailed(
            _("A monthly income cannot be negative."), details={"monthly_income": ["negative"]}
        )
    member, _created = contact_from_registry(national_id=national_id)
    household = household_of(contact=person)
    if household is None:
        household = Household.objects.create(
            address_unit=person.address_unit, address_text=person.address_text
        )
        HouseholdMember.objects.create(
            household=household, contact=person, relationship=HouseholdMember.Relationship.HEAD
        )
    if household.members.filter(contact=member).exists():
        raise Conflict(_("%(name)s is already in this household.") % {"name": member})
    return HouseholdMember.objects.create(
        household=household,
        contact=member,
        relationship=relationship,
        monthly_income=monthly_income,
    )


@transaction.atomic
def household_member_remove(*, person: Contact, member_id: int) -> None:
    """Someone moved out of ``person``'s household; the person themself stays."""
    household = household_of(contact=person)
    member = (
        household.members.filter(pk=member_id).exclude(contact=person).first()
        if household is not None
        else None
    )
    if member is None:
        raise NotFound(_("No such member in this household."))
    member.delete()
