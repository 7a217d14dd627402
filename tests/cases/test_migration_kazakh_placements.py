"""Placements opened in Kazakh units before services had a country move to the Kazakh entry
(the data step of migration cases 0005, run on rows made the old way)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cases.models import Service
from tests.factories import ContactFactory

from .factories import CaseDocumentFactory, CaseFactory
from .kz import kz_office

pytestmark = pytest.mark.django_db
migration = importlib.import_module("cases.migrations.0006_social_assistance")


def test_kazakh_placements_and_their_papers_follow_the_kazakh_catalogue(tree):
    kz = kz_office()
    mongolian = Service.objects.get(code="care-home-placement")
    paper = mongolian.documents.order_by("position").first()
    in_kazakhstan = CaseFactory(
        service=mongolian, beneficiary=ContactFactory(address_unit=kz.okrug)
    )
    in_mongolia = CaseFactory(service=mongolian, beneficiary=ContactFactory(address_unit=tree.k7))
    for case in (in_kazakhstan, in_mongolia):
        CaseDocumentFactory(case=case, required_document=paper)

    migration.move_kazakh_placements(apps, None)

    in_kazakhstan.refresh_from_db()
    assert in_kazakhstan.service.code == "kz-care-home-placement"
    document = in_kazakhstan.documents.get()
    assert document.required_document.service == in_kazakhstan.service
    assert document.required_document.code == paper.code
    in_mongolia.refresh_from_db()
    assert in_mongolia.service == mongolian
    assert in_mongolia.documents.get().required_document == paper
