"""Fixtures of the audit trail: a citizen with a case, a document and a conversation."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEntry
from cases import services as case_services
from tests.cases.factories import CaseDocumentFactory, ensure_catalogue, placement_service
from tests.factories import ContactFactory, ConversationFactory, IdentityFactory, InteractionFactory


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


@pytest.fixture
def citizen(tree):
    contact = ContactFactory(first_name="Цэрэн", last_name="Дорж", address_unit=tree.k7)
    IdentityFactory(contact=contact, value="+97699112233")
    return contact


@pytest.fixture
def other_citizen(tree):
    contact = ContactFactory(first_name="Айгүл", last_name="Нұрланова", address_unit=tree.s1)
    IdentityFactory(contact=contact, value="+97699445566")
    return contact


@pytest.fixture
def conversation(citizen):
    conversation = ConversationFactory(contact=citizen, address="+97699112233")
    InteractionFactory(contact=citizen, conversation=conversation, body="Тусламж хэрэгтэй")
    return conversation


@pytest.fixture
def case(citizen, staff):
    case = case_services.case_create(
        beneficiary=citizen,
        service=placement_service(),
        actor=staff.local7,
        origin_channel="walk_in",
        reason_for_care="Ганц бие",
    )
    return case


@pytest.fixture
def document(case):
    return CaseDocumentFactory(case=case, kind="other", required_document=None)


@pytest.fixture
def signed_in():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def rows():
    """The audit rows written since the fixture was asked for, oldest first."""
    start = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def written(**filters):
        return list(AuditEntry.objects.filter(id__gt=start, **filters).order_by("id"))

    return written
