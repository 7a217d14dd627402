"""The demo holds organisations with applications in every mark status and allowances with
months paid, and running it twice adds nothing."""

from __future__ import annotations

import pytest

from cases import demo as cases_demo
from cases import payments
from cases.models import Case
from cases.organisations import AllowanceEntitlement, Organisation
from cases.workflows.organisation_mark import ORGANISATION_MARK
from crm import demo as crm_demo
from demo.context import DemoContext


def _seed() -> DemoContext:
    context = DemoContext()
    crm_demo.seed(context)
    cases_demo.seed(context)
    return context


@pytest.mark.django_db
def test_demo_marks_and_paid_allowances():
    _seed()
    marks = Case.objects.filter(service__workflow="organisation_mark")
    assert set(marks.values_list("status", flat=True)) == set(ORGANISATION_MARK.statuses)
    assert marks.filter(mark__copied_from__isnull=False).exists()
    paid = [len(payments.entitlement_months(e)) for e in AllowanceEntitlement.objects.all()]
    assert sorted(paid) == [1, 6, 13]
    counts = (Organisation.objects.count(), marks.count(), AllowanceEntitlement.objects.count())
    _seed()
    assert (
        Organisation.objects.count(),
        Case.objects.filter(service__workflow="organisation_mark").count(),
        AllowanceEntitlement.objects.count(),
    ) == counts
