"""Merging two citizens never answers 500: consent datetimes and two open callbacks."""

from __future__ import annotations

import pytest
from django.utils import timezone

from channels_app.models import CallbackRequest
from crm.models import Contact, ContactMerge
from tests.factories import ContactFactory, IdentityFactory

pytestmark = pytest.mark.django_db


def _pair(tree):
    """Two records of one citizen, both with consent recorded and a callback waiting."""
    now = timezone.now()
    survivor = ContactFactory(address_unit=tree.k7, consent_recorded_at=now)
    duplicate = ContactFactory(
        address_unit=tree.k7, consent_recorded_at=now - timezone.timedelta(days=3)
    )
    IdentityFactory(contact=survivor, value="+97699112233")
    IdentityFactory(contact=duplicate, value="+97688112233")
    for contact, hours in ((survivor, 4), (duplicate, 2)):
        CallbackRequest.objects.create(
            contact=contact,
            channel="sms",
            phone=contact.identities.first().value,
            due_at=now + timezone.timedelta(hours=hours),
        )
    return survivor, duplicate


def _merged(survivor: Contact, duplicate: Contact) -> None:
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    record = ContactMerge.objects.get(merged=duplicate)
    # The datetime is kept in the snapshot as text, not lost.
    assert record.snapshot["consent_recorded_at"].startswith(
        duplicate.consent_recorded_at.date().isoformat()
    )
    open_calls = CallbackRequest.objects.filter(contact=survivor, status="open")
    # One task stays open (the one due first); the other is cancelled with a note, not lost.
    assert open_calls.count() == 1
    assert open_calls.get().due_at == min(
        CallbackRequest.objects.filter(contact=survivor).values_list("due_at", flat=True)
    )
    cancelled = CallbackRequest.objects.get(contact=survivor, status="cancelled")
    assert "merged" in cancelled.note


def test_api_merge_of_consenting_citizens_with_open_callbacks(api, staff, tree):
    survivor, duplicate = _pair(tree)
    response = api.as_user(staff.agent).post(
        f"/api/v1/contacts/{survivor.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    _merged(survivor, duplicate)


def test_console_merge_of_consenting_citizens_with_open_callbacks(signed_in, staff, tree):
    survivor, duplicate = _pair(tree)
    response = signed_in(staff.agent).post(
        f"/console/citizens/{survivor.pk}/merge/", {"duplicate": duplicate.pk}
    )
    assert response.status_code == 302
    _merged(survivor, duplicate)


def test_admin_merge_of_consenting_citizens_with_open_callbacks(signed_in, staff, tree):
    survivor, duplicate = _pair(tree)
    response = signed_in(staff.admin).post(
        "/admin/crm/contact/",
        {"action": "merge_contacts", "_selected_action": [survivor.pk, duplicate.pk]},
    )
    assert response.status_code == 302
    _merged(survivor, duplicate)


@pytest.mark.parametrize(
    "body",
    [
        {"duplicate": 10**30},
        {"duplicate": -1},
        {"duplicate": "1e400"},
        {"duplicate": None},
        {"duplicate": [1, 2]},
        {"duplicate": {"id": 1}},
        {"duplicate": True},
        {"duplicate": "\x00"},
        [],
        "plain text",
    ],
)
def test_api_merge_with_odd_bodies_answers_400(api, staff, tree, body):
    survivor = ContactFactory(address_unit=tree.k7)
    response = api.as_user(staff.agent).post(
        f"/api/v1/contacts/{survivor.pk}/merge/", body, format="json"
    )
    assert response.status_code in (400, 404)
    assert response.json()["code"]
    assert not ContactMerge.objects.exists()
