"""Placements opened in Kazakh units before services had a country move to the Kazakh entry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("cases", "0004_office_hours"),
    ("cases", "0004_service_country"),
    ("crm", "0003_kazakh_office_roles"),
]
AFTER = [("cases", "0005_social_assistance")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kazakh_placements_and_their_papers_follow_the_kazakh_catalogue():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    AdminUnit = apps.get_model("crm", "AdminUnit")
    Contact = apps.get_model("crm", "Contact")
    Service = apps.get_model("cases", "Service")
    Case = apps.get_model("cases", "Case")
    CaseDocument = apps.get_model("cases", "CaseDocument")
    country = AdminUnit.objects.create(code="KZ", level=0, name="Қазақстан", path="KZ/")
    mn = AdminUnit.objects.create(code="MN", level=0, name="Монгол", path="MN/")
    mongolian = Service.objects.get(code="care-home-placement")
    paper = mongolian.documents.order_by("position").first()
    cases = {}
    for unit in (country, mn):
        contact = Contact.objects.create(first_name="А", last_name="Б", address_unit=unit)
        case = Case.objects.create(
            number=f"2026-9{unit.code}", service=mongolian, beneficiary=contact, unit=unit
        )
        CaseDocument.objects.create(
            case=case, required_document=paper, file="x.pdf", content_type="application/pdf", size=1
        )
        cases[unit.code] = case.pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Case = apps.get_model("cases", "Case")
    CaseDocument = apps.get_model("cases", "CaseDocument")

    kazakh_case = Case.objects.get(pk=cases["KZ"])
    assert kazakh_case.service.code == "kz-care-home-placement"
    document = CaseDocument.objects.get(case=kazakh_case)
    assert document.required_document.service_id == kazakh_case.service_id
    assert document.required_document.code == paper.code
    assert Case.objects.get(pk=cases["MN"]).service.code == "care-home-placement"
    # Leave the schema complete for the tests after this one (later migrations included).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
