"""Reads and changes in the desk console and the admin: one row each, right actor and object."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_console_reads_of_a_citizen_a_conversation_and_a_case(
    staff, signed_in, citizen, conversation, case, document, rows
):
    agent = signed_in(staff.agent)
    assert agent.get(f"/console/citizens/{citizen.pk}/").status_code == 200
    assert agent.get(f"/console/conversations/{conversation.pk}/").status_code == 200
    local = signed_in(staff.local7)
    assert local.get(f"/console/cases/{case.pk}/").status_code == 200
    file = local.get(f"/console/cases/{case.pk}/documents/{document.pk}/")
    file.getvalue()
    read = [(r.actor_username, r.action, r.object_type, r.object_id, r.contact_id) for r in rows()]
    assert read == [
        ("agent", "read", "contact", str(citizen.pk), citizen.pk),
        ("agent", "read", "timeline", str(citizen.pk), citizen.pk),
        ("local7", "read", "case", str(case.pk), citizen.pk),
        ("local7", "read", "document", str(document.pk), citizen.pk),
    ]
    assert {r.via for r in rows()} == {"console"}


def test_a_console_search_is_one_row_naming_the_results(staff, signed_in, citizen, tree, rows):
    from tests.factories import ContactFactory

    namesakes = [ContactFactory(last_name="Дорж", address_unit=tree.k12) for _ in range(3)]
    signed_in(staff.agent).get("/console/citizens/?q=Дорж")
    [row] = rows()
    assert (row.action, row.object_type) == ("list", "contact")
    assert sorted(row.object_ids) == sorted([citizen.pk, *(c.pk for c in namesakes)])


def test_a_worklist_is_one_row(staff, signed_in, case, rows):
    signed_in(staff.local7).get("/console/cases/?status=draft")
    [row] = rows()
    assert (row.action, row.object_type, row.object_ids) == ("list", "case", [case.pk])


def test_the_inbox_is_one_row_naming_its_conversations(staff, signed_in, conversation, rows):
    signed_in(staff.agent).get("/console/inbox/")
    [row] = rows()
    assert (row.action, row.object_type, row.object_ids) == (
        "list",
        "conversation",
        [conversation.pk],
    )


def test_console_changes_and_refusals(staff, signed_in, conversation, case, rows):
    agent = signed_in(staff.agent)
    agent.post(f"/console/conversations/{conversation.pk}/note/", {"body": "Охин нь залгана"})
    local = signed_in(staff.local7)
    local.post(
        f"/console/cases/{case.pk}/edit/", {"reason_for_care": "Ганц бие", "has_disability": "no"}
    )
    # Refused: documents are missing. A refusal is not a change and leaves no row.
    local.post(f"/console/cases/{case.pk}/actions/submit/")
    written = [(r.actor_username, r.action, r.object_type, r.contact_id) for r in rows()]
    assert written == [
        ("agent", "create", "interaction", conversation.contact_id),
        ("local7", "update", "case", case.beneficiary_id),
    ]


def test_admin_reads_and_changes(staff, signed_in, citizen, rows):
    admin = signed_in(staff.admin)
    assert admin.get("/admin/crm/contact/").status_code == 200
    assert admin.get(f"/admin/crm/contact/{citizen.pk}/change/").status_code == 200
    listed, read = rows()
    assert (listed.action, listed.object_type, listed.via) == ("list", "contact", "admin")
    assert citizen.pk in listed.object_ids
    assert (read.action, read.object_id, read.contact_id) == ("read", str(citizen.pk), citizen.pk)


def test_an_admin_change_is_recorded_from_the_admin_log(staff, citizen, rows):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.log_actions(
        user_id=staff.admin.pk,
        queryset=[citizen],
        action_flag=CHANGE,
        change_message="Changed address.",
        single_object=True,
    )
    [row] = rows()
    assert (row.actor_username, row.action, row.object_type) == ("admin", "update", "contact")
    assert (row.object_id, row.contact_id) == (str(citizen.pk), citizen.pk)
    assert ContentType.objects.get_for_model(citizen).model == "contact"
