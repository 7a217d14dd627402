import pytest

from crm.jurisdiction import can_see_unit, contacts_visible_to
from crm.models import Role
from tests.factories import AdminUnitFactory, ContactFactory, UserFactory


@pytest.mark.django_db
def test_subtree_is_a_prefix_query(tree):
    assert set(tree.skh.subtree()) == {tree.skh, tree.k7, tree.k12}
    assert list(tree.k7.ancestors()) == [tree.country, tree.city, tree.skh]


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(tree):
    tree.skh.parent = AdminUnitFactory(code="DG", level=1, parent=tree.country)
    tree.skh.save()
    tree.k7.refresh_from_db()
    assert tree.k7.path == "MN/DG/SKH/07/"


@pytest.mark.django_db
def test_visibility_by_role(tree, staff):
    in_k7 = ContactFactory(address_unit=tree.k7)
    in_s1 = ContactFactory(address_unit=tree.s1)
    unplaced = ContactFactory(address_unit=None)
    assert set(contacts_visible_to(staff.local7)) == {in_k7}
    assert set(contacts_visible_to(staff.district)) == {in_k7}
    assert set(contacts_visible_to(staff.agent)) == {in_k7, in_s1, unplaced}
    facility = UserFactory(role=Role.FACILITY_STAFF, unit=tree.k7)
    assert in_k7 not in set(contacts_visible_to(facility))
    assert can_see_unit(staff.district, tree.k12)
    assert not can_see_unit(staff.local7, tree.k12)


@pytest.mark.django_db
def test_one_country_does_not_see_the_other(tree, staff):
    kz = AdminUnitFactory(code="KZ", level=0, parent=None)
    kz_agent = UserFactory(role=Role.AGENT, unit=kz)
    ContactFactory(address_unit=tree.k7)
    assert not contacts_visible_to(kz_agent).filter(address_unit__isnull=False).exists()
