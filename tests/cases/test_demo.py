"""The demo leaves cases in every status in both countries, and running it twice adds nothing."""

from __future__ import annotations

import pytest

from cases import demo as cases_demo
from cases.models import Case, CaseEvent, Facility, Status, Ward
from cases.workflows.allowance import ALLOWANCE
from cases.workflows.placement import PLACEMENT
from cases.workflows.social_assistance import SOCIAL_ASSISTANCE
from crm import demo as crm_demo
from demo.context import DemoContext


def _seed() -> DemoContext:
    context = DemoContext()
    crm_demo.seed(context)
    cases_demo.seed(context)
    return context


@pytest.mark.django_db
def test_demo_cases_in_every_status_in_both_countries_and_idempotent():
    context = _seed()
    mongolian = {*PLACEMENT.statuses, *ALLOWANCE.statuses}
    for country, expected in (("MN/", mongolian), ("KZ/", set(Status.values))):
        statuses = set(
            Case.objects.filter(unit__path__startswith=country).values_list("status", flat=True)
        )
        assert statuses == expected, country
    assistance = Case.objects.filter(service__workflow="social_assistance")
    assert set(assistance.values_list("status", flat=True)) == set(SOCIAL_ASSISTANCE.statuses)
    assert set(assistance.values_list("route", flat=True)) == {"", "office", "akim"}
    assert {"office", "akim"} <= set(
        assistance.filter(status="issued").values_list("route", flat=True)
    )
    assert not assistance.exclude(unit__path__startswith="KZ/").exists()
    counts = (Case.objects.count(), CaseEvent.objects.count(), Facility.objects.count())
    beds = list(Ward.objects.order_by("pk").values_list("occupied", "reserved"))

    again = _seed()
    assert (Case.objects.count(), CaseEvent.objects.count(), Facility.objects.count()) == counts
    assert list(Ward.objects.order_by("pk").values_list("occupied", "reserved")) == beds
    usernames = {a["username"] for a in again.accounts}
    assert {"care.skh", "care.dg", "kz.care.zer"} <= usernames
    roles = {a["role"] for a in context.accounts}
    assert {"clerk", "head", "executor", "commission_member", "akim"} <= roles
    assert {"kz.commission.local", "kz.commission.special"} <= usernames
    assert {a["role"] for a in context.accounts if a["username"] == "care.skh"} == {
        "facility_staff"
    }


@pytest.mark.django_db
def test_demo_histories_are_real_transitions():
    _seed()
    placed = Case.objects.get(beneficiary__first_name="Цэрэн", status=Status.IN_SERVICE)
    assert list(placed.events.values_list("action", flat=True)) == [
        "create",
        "submit",
        "allocate",
        "accept",
        "admit",
    ]
    assert placed.facility.name_en == "Songinokhairkhan elderly care home"
    assert placed.ward.occupied >= 1
