"""Fixtures of the case core: the seeded placement service, a care home, complete cases."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, CaseDocument
from cases.transitions import case_apply_action
from tests.factories import ContactFactory

from .factories import (
    CaseDocumentFactory,
    FacilityFactory,
    ensure_catalogue,
    facility_staff,
    placement_service,
)


@pytest.fixture(autouse=True)
def _service_catalogue(db):
    """The catalogue the data migration loads; reloaded if a transactional test elsewhere in
    this process flushed the database (pytest-django flushes after live-server tests)."""
    ensure_catalogue()


@pytest.fixture
def placement(db):
    return placement_service()


@pytest.fixture
def carehome(tree):
    return FacilityFactory(name="Сонгинохайрхан асрамжийн газар", unit=tree.skh, beds=5)


@pytest.fixture
def carehome_staff(carehome):
    return facility_staff(carehome, "carehome.skh")


@pytest.fixture
def citizen(tree):
    return ContactFactory(
        first_name="Цэрэн", last_name="Дорж", address_unit=tree.k7, sex="M", lives_alone=True
    )


def attach_required(case: Case, *, issue_date=None) -> None:
    """Every document of the service's list that applies to this case."""
    for required in case.service.documents.all():
        if required.applies_to(case):
            CaseDocumentFactory(
                case=case, required_document=required, issue_date=issue_date or timezone.localdate()
            )


def attach_placement_papers(case: Case) -> None:
    for kind in (CaseDocument.Kind.GOVERNOR_DECREE, CaseDocument.Kind.WELFARE_LETTER):
        CaseDocumentFactory(case=case, kind=kind, required_document=None)


def complete_draft(case: Case, *, disability: bool = False) -> Case:
    case.reason_for_care = "Ганц бие, өөрийгөө асрах чадваргүй"
    case.has_disability = disability
    if disability:
        case.disability_type = "Хөдөлгөөний"
        case.disability_percent = 70
    case.save()
    attach_required(case)
    return case


def local_worker_of(staff, contact):
    """The local worker whose khoroo the citizen lives in."""
    for worker in (staff.local7, staff.local12, staff.local_s1):
        if contact.address_unit_id == worker.unit_id:
            return worker
    return staff.local7


@pytest.fixture
def new_case(placement, staff):
    """A draft opened by the khoroo-7 worker for a citizen of khoroo 7."""

    def make(beneficiary=None, **kwargs) -> Case:
        beneficiary = beneficiary or ContactFactory(
            address_unit=staff.local7.unit, sex=kwargs.pop("sex", "F")
        )
        return services.case_create(
            beneficiary=beneficiary,
            service=kwargs.pop("service", placement),
            actor=kwargs.pop("actor", local_worker_of(staff, beneficiary)),
            origin_channel=kwargs.pop("origin_channel", "walk_in"),
            **kwargs,
        )

    return make


@pytest.fixture
def submitted_case(new_case, staff):
    def make(beneficiary=None, *, papers: bool = True, **kwargs) -> Case:
        case = complete_draft(new_case(beneficiary, **kwargs))
        local = local_worker_of(staff, case.beneficiary)
        case = case_apply_action(case=case, action="submit", actor=local)
        if papers:
            attach_placement_papers(case)
        return case

    return make
