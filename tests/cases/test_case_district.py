"""A case's district follows its unit: district-level lists and the queue index rely on it."""

from __future__ import annotations

import pytest

from cases.models import Case

pytestmark = pytest.mark.django_db


def test_moving_a_case_to_another_units_district_moves_its_district(tree, staff, submitted_case):
    from tests.factories import ContactFactory

    case = submitted_case(ContactFactory(address_unit=tree.k7))
    assert case.district == tree.skh
    other_khoroo = tree.s1
    case.unit = other_khoroo
    case.save(update_fields=["unit"])
    case = Case.objects.get(pk=case.pk)
    assert case.district == tree.sbd
    # Saving anything else leaves it alone (and costs no lookup).
    case.reason_for_care = "moved in with her daughter"
    case.save(update_fields=["reason_for_care"])
    assert Case.objects.get(pk=case.pk).district == tree.sbd
