"""Races a real database must win: beds and case numbers under concurrent requests.

SQLite serialises every writer, so these prove nothing there; they run on PostgreSQL
(DATABASE_URL=postgres://...) where row locks (SELECT ... FOR UPDATE) do the work.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from knox.models import AuthToken
from rest_framework.test import APIClient

from cases import services
from cases.models import Case, CaseEvent, Status
from tests.factories import ContactFactory

from .conftest import attach_placement_papers
from .factories import FacilityFactory

pytestmark = [
    pytest.mark.postgres,
    # Decided before any fixture runs (no database set-up for a test that cannot run here).
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so a race cannot happen "
        "there; run with DATABASE_URL=postgres://...",
    ),
    # No serialized_rollback: after another transactional test's flush re-created the content
    # types under new ids, restoring the serialized ones collides with them. These tests need
    # nothing the migrations seed except the service catalogue, which the factories reload.
    pytest.mark.django_db(transaction=True),
]


def _run_together(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released at once; each thread has its own
    database connection (Django's connections are per thread)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # reported by the assertion below, with the thread's error
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_concurrent_allocations_for_five_beds(staff, tree, submitted_case):
    home = FacilityFactory(unit=tree.skh, beds=5)
    cases = []
    for _ in range(20):
        case = submitted_case(ContactFactory(address_unit=tree.k7, sex="F"), papers=False)
        attach_placement_papers(case)
        cases.append(case)
    _instance, token = AuthToken.objects.create(user=staff.district)

    def allocate(i: int) -> int:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(
            f"/api/v1/cases/{cases[i].pk}/actions/allocate/", {"facility": home.pk}, format="json"
        )
        if response.status_code == 400:
            assert response.json()["errors"][0]["code"] == "no_free_bed"
        return response.status_code

    codes = _run_together(20, allocate)
    assert sorted(codes, key=str) == sorted([200] * 5 + [400] * 15, key=str), codes
    ward = home.wards.get()
    assert (ward.capacity, ward.reserved, ward.occupied) == (5, 5, 0)
    allocated = Case.objects.filter(pk__in=[c.pk for c in cases], status=Status.ALLOCATED)
    assert allocated.count() == 5
    assert set(allocated.values_list("facility_id", flat=True)) == {home.pk}
    assert Case.objects.filter(pk__in=[c.pk for c in cases], status=Status.SUBMITTED).count() == 15
    assert CaseEvent.objects.filter(action="allocate").count() == 5


def test_concurrent_case_numbers_never_collide(staff, tree, placement):
    people = [ContactFactory(address_unit=tree.k7) for _ in range(20)]

    def create(i: int) -> str:
        return services.case_create(
            beneficiary=people[i], service=placement, actor=staff.agent, origin_channel="sms"
        ).number

    numbers = _run_together(20, create)
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 20
