"""Fixtures of the security and reliability tests: a second country beside the shared tree."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.models import Role
from tests.cases.conftest import (  # noqa: F401  (fixtures shared with the case tests)
    _service_catalogue,
    carehome,
    carehome_staff,
    citizen,
    new_case,
    placement,
    submitted_case,
)
from tests.factories import AdminUnitFactory, UserFactory


@pytest.fixture
def kz(tree):
    """Kazakhstan -> Akmola oblast -> Zerendi district -> one rural okrug, and its staff."""
    country = AdminUnitFactory(code="KZ", level=0, name="Қазақстан", parent=None)
    oblast = AdminUnitFactory(code="AKM", level=1, name="Ақмола облысы", parent=country)
    district = AdminUnitFactory(code="ZER", level=2, name="Зеренді ауданы", parent=oblast)
    okrug = AdminUnitFactory(code="01", level=3, name="Зеренді ауылдық округі", parent=district)
    return type(
        "Kazakhstan",
        (),
        {
            "country": country,
            "oblast": oblast,
            "district": district,
            "okrug": okrug,
            "agent": UserFactory(username="kz.agent", role=Role.AGENT, unit=country),
            "supervisor": UserFactory(username="kz.supervisor", role=Role.SUPERVISOR, unit=country),
            "local": UserFactory(username="kz.local", role=Role.LOCAL_WORKER, unit=okrug),
            "district_worker": UserFactory(
                username="kz.district", role=Role.DISTRICT_WORKER, unit=district
            ),
        },
    )


@pytest.fixture
def signed_in():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return make
