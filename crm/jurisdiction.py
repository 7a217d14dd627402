"""Who may see which citizen: every staff query is scoped through here.

An account sees its home unit and every unit under it (a prefix match on the materialised
unit path). Accounts at country level also see senders we have not yet placed in any unit
(an unknown phone number texting the hotline). Facility staff see no unit as such: other
apps (cases) register what they may see, so the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from .countries import country_of
from .models import AdminUnit, Contact, Role, User

ContactVisibility = Callable[[User], Q]
_contact_visibility: list[ContactVisibility] = []
# A rule that narrows the timeline a user reads of a contact they see only through a rule
# (care-home staff: the events of their residents' placement), or None when it does not apply.
TimelineScope = Callable[[User], "Q | None"]
_timeline_scopes: list[TimelineScope] = []
_NOTHING = Q(pk__in=[])


def register_contact_visibility(rule: ContactVisibility) -> ContactVisibility:
    """Let another app widen what a user may see (e.g. facility staff their residents).

    A rule returns ``Q(pk__in=<subquery>)`` rather than a join, so the scoped queryset never
    needs DISTINCT on large tables.
    """
    if rule not in _contact_visibility:
        _contact_visibility.append(rule)
    return rule


def register_timeline_scope(rule: TimelineScope) -> TimelineScope:
    if rule not in _timeline_scopes:
        _timeline_scopes.append(rule)
    return rule


def timeline_scope(user: User, contact: Contact) -> Q:
    """Which of ``contact``'s interactions ``user`` may read.

    Staff who see the contact by unit read the whole timeline; anyone who sees it only through
    another app's rule reads what that app's timeline scope allows, else nothing.
    """
    if not _active(user):
        return _NOTHING
    if can_see_contact(user, contact):
        return Q()
    query = _NOTHING
    for rule in _timeline_scopes:
        scope = rule(user)
        if scope is not None:
            query |= scope
    return query


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def unit_scope(user: User, unit_field: str, *, unplaced_country_field: str | None = None) -> Q:
    """A Q limiting ``unit_field`` (a path to an AdminUnit FK) to the user's jurisdiction.

    With ``unplaced_country_field`` (a path to a contact's ``country``), country-level
    accounts also see rows with no unit yet, of their own country only.
    """
    if not _active(user):
        return _NOTHING
    if user.sees_everything:
        return Q()
    if not user.unit_id or user.role == Role.FACILITY_STAFF:
        return _NOTHING
    query = Q(**{f"{unit_field}__path__startswith": user.unit.path})
    if unplaced_country_field and user.unit.level == AdminUnit.Level.COUNTRY:
        query |= Q(**{f"{unit_field}__isnull": True, unplaced_country_field: country_of(user.unit)})
    return query


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    query = unit_scope(user, "address_unit", unplaced_country_field="country")
    if _active(user) and not user.sees_everything:
        for rule in _contact_visibility:
            query |= rule(user)
    return Contact.objects.filter(query)


def can_see_unit(user: User, unit: AdminUnit | None, *, country: str | None = None) -> bool:
    """``unit`` within the user's reach; ``country`` is the contact's when there is no unit."""
    if not _active(user):
        return False
    if user.sees_everything:
        return True
    if not user.unit_id or user.role == Role.FACILITY_STAFF:
        return False
    if unit is None:
        return user.unit.level == AdminUnit.Level.COUNTRY and (
            country or country_of(None)
        ) == country_of(user.unit)
    return unit.path.startswith(user.unit.path)


def can_see_contact(user: User, contact: Contact) -> bool:
    """The unit rule for one contact (no query for the unit part)."""
    return can_see_unit(user, contact.address_unit, country=contact.country)
