"""Who may see which citizen: every staff query is scoped through here.

An account sees its home unit and every unit under it (a prefix match on the materialised
unit path). Accounts at country level also see senders we have not yet placed in any unit
(an unknown phone number texting the hotline). Facility staff see no unit as such: other
apps (cases) register what they may see, so the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from .models import AdminUnit, Contact, Role, User

ContactVisibility = Callable[[User], Q]
_contact_visibility: list[ContactVisibility] = []
_NOTHING = Q(pk__in=[])


def register_contact_visibility(rule: ContactVisibility) -> ContactVisibility:
    """Let another app widen what a user may see (e.g. facility staff their residents).

    A rule returns ``Q(pk__in=<subquery>)`` rather than a join, so the scoped queryset never
    needs DISTINCT on large tables.
    """
    if rule not in _contact_visibility:
        _contact_visibility.append(rule)
    return rule


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def unit_scope(user: User, unit_field: str, *, include_unplaced: bool = False) -> Q:
    """A Q limiting ``unit_field`` (a path to an AdminUnit FK) to the user's jurisdiction.

    ``include_unplaced`` lets country-level accounts also see rows with no unit yet.
    """
    if not _active(user):
        return _NOTHING
    if user.sees_everything:
        return Q()
    if not user.unit_id or user.role == Role.FACILITY_STAFF:
        return _NOTHING
    query = Q(**{f"{unit_field}__path__startswith": user.unit.path})
    if include_unplaced and user.unit.level == AdminUnit.Level.COUNTRY:
        query |= Q(**{f"{unit_field}__isnull": True})
    return query


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    query = unit_scope(user, "address_unit", include_unplaced=True)
    if _active(user) and not user.sees_everything:
        for rule in _contact_visibility:
            query |= rule(user)
    return Contact.objects.filter(query)


def can_see_unit(user: User, unit: AdminUnit | None) -> bool:
    if not _active(user):
        return False
    if user.sees_everything:
        return True
    if not user.unit_id or user.role == Role.FACILITY_STAFF:
        return False
    if unit is None:
        return user.unit.level == AdminUnit.Level.COUNTRY
    return unit.path.startswith(user.unit.path)
