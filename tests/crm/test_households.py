import datetime as dt
from decimal import Decimal

import pytest

from crm.errors import Conflict, NotFound, ValidationFailed
from crm.households import household_member_add, household_member_remove, household_of
from crm.models import HouseholdMember, RegistryPerson
from tests.factories import ContactFactory


@pytest.fixture
def grandmother(tree):
    return ContactFactory(first_name="Долгор", last_name="Гомбо", address_unit=tree.k7)


@pytest.fixture
def grandson_in_registry(tree):
    return RegistryPerson.objects.create(
        national_id="УБ01250462",
        first_name="Тэмүүлэн",
        last_name="Бат",
        birth_date=dt.date(2001, 5, 4),
        sex="M",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо",
    )


def test_the_first_member_makes_the_household_with_the_person_as_its_head(
    grandmother, grandson_in_registry, tree
):
    assert household_of(contact=grandmother) is None
    member = household_member_add(
        person=grandmother,
        national_id="уб01250462",
        relationship=HouseholdMember.Relationship.GRANDCHILD,
        monthly_income=Decimal("420000"),
    )
    household = household_of(contact=grandmother)
    assert member.household == household and household.address_unit == tree.k7
    assert member.contact.first_name == "Тэмүүлэн"  # filled in from the registry
    roles = dict(household.members.values_list("contact_id", "relationship"))
    assert roles == {grandmother.pk: "head", member.contact_id: "grandchild"}
    # The assistance workflow finds the same household from the grandson's side.
    assert household_of(contact=member.contact) == household


def test_a_member_twice_a_bad_id_or_a_negative_income_are_refused(
    grandmother, grandson_in_registry
):
    household_member_add(person=grandmother, national_id="УБ01250462", relationship="grandchild")
    with pytest.raises(Conflict):
        household_member_add(person=grandmother, national_id="УБ01250462", relationship="child")
    with pytest.raises(ValidationFailed):
        household_member_add(person=grandmother, national_id="УБ0125", relationship="child")
    with pytest.raises(ValidationFailed):
        household_member_add(
            person=grandmother,
            national_id="УБ01250462",
            relationship="child",
            monthly_income=Decimal(-1),
        )


def test_removing_a_member_keeps_the_person(grandmother, grandson_in_registry):
    member = household_member_add(
        person=grandmother, national_id="УБ01250462", relationship="grandchild"
    )
    head = HouseholdMember.objects.get(contact=grandmother)
    with pytest.raises(NotFound):
        household_member_remove(person=grandmother, member_id=head.pk)
    household_member_remove(person=grandmother, member_id=member.pk)
    assert list(HouseholdMember.objects.values_list("contact", flat=True)) == [grandmother.pk]
