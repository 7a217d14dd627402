"""Health papers, role by role: who opens them on the console and through the API.

The access matrix (test_access_matrix) proves nobody reaches a case outside their
jurisdiction; this one adds the rule inside it: the call centre (agents, supervisors) sees that
a health paper exists but never opens it, while the case's social workers, the district office
deciding, the care home the person is placed in and administrators do. Other papers of the
same case stay open to everyone who sees the case.
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case, Status
from tests.cases.factories import (
    CaseDocumentFactory,
    FacilityFactory,
    facility_staff,
    placement_service,
)
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

OPENS = {
    "admin": True,
    "local7": True,
    "district": True,
    "carehome": True,
    "agent": False,
    "supervisor": False,
}


@pytest.fixture
def placed(tree):
    """A case allocated to a care home, with a health certificate and an application."""
    service = placement_service()
    home = FacilityFactory(name="Matrix home", unit=tree.skh, beds=2)
    case = Case.objects.create(
        number="2026-990001",
        service=service,
        status=Status.ALLOCATED,
        beneficiary=ContactFactory(address_unit=tree.k7, sex="F"),
        origin_channel="walk_in",
        unit=tree.k7,
        facility=home,
    )
    health = CaseDocumentFactory(
        case=case, required_document=service.documents.get(code="health_certificate")
    )
    other = CaseDocumentFactory(
        case=case, required_document=service.documents.get(code="application")
    )
    return case, home, health, other


def test_health_papers_open_only_to_the_case_workers_and_the_care_home(staff, api, placed):
    case, home, health, other = placed
    accounts = {
        "admin": staff.admin,
        "local7": staff.local7,
        "district": staff.district,
        "carehome": facility_staff(home, "matrix.home"),
        "agent": staff.agent,
        "supervisor": staff.supervisor,
    }
    wrong: list[str] = []
    for role, user in accounts.items():
        console = Client(raise_request_exception=False)
        console.force_login(user)
        client = api.as_user(user)
        page = console.get(f"/console/cases/{case.pk}/")
        if page.status_code != 200:
            wrong.append(f"{role} cannot read the case page: {page.status_code}")
            continue
        body = page.content.decode()
        detail = client.get(f"/api/v1/cases/{case.pk}/").json()
        listed = {d["id"]: d for d in detail["documents"]}
        for document, opens in ((health, OPENS[role]), (other, True)):
            want = 200 if opens else 403
            link = f"/console/cases/{case.pk}/documents/{document.pk}/"
            checks = {
                "console file": console.get(link).status_code,
                "API file": client.get(
                    f"/api/v1/cases/{case.pk}/documents/{document.pk}/"
                ).status_code,
            }
            for where, status in checks.items():
                if status != want:
                    wrong.append(f"{role} {where} of document {document.pk}: {status} != {want}")
            if (link in body) != opens:
                wrong.append(f"{role}: link to document {document.pk} shown={link in body}")
            if listed[document.pk]["may_open"] != opens:
                wrong.append(f"{role}: API may_open of {document.pk} is not {opens}")
            if (listed[document.pk]["url"] is not None) != opens:
                wrong.append(f"{role}: API url of {document.pk} given={not opens}")
        # Everyone who sees the case sees that the certificate is there and valid.
        if 'data-document="health_certificate" data-state="attached"' not in body:
            wrong.append(f"{role} does not see that the health certificate is attached")
        if listed[health.pk]["valid"] is not True:
            wrong.append(f"{role}: API does not say the certificate is valid")
    assert not wrong, "\n".join(wrong)
