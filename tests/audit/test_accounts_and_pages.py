"""Staff accounts over their life, and the console pages of the audit trail."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from audit import accounts
from crm.errors import NotAllowed, ValidationFailed

pytestmark = pytest.mark.django_db


def test_a_disabled_accounts_token_and_session_stop_at_once(api, staff, citizen, signed_in, rows):
    client = api.as_user(staff.local7)
    assert client.get(f"/api/v1/contacts/{citizen.pk}/").status_code == 200
    browser = signed_in(staff.local7)
    assert browser.get("/console/cases/").status_code == 200
    accounts.account_disable(account=staff.local7, actor=staff.admin, reason="Ажлаас гарсан")
    # Refused: 401 or 403 depending on which authentication class answers first.
    assert client.get(f"/api/v1/contacts/{citizen.pk}/").status_code in (401, 403)
    assert browser.get("/console/cases/").status_code == 302  # back to the sign-in page
    disabled = rows(action="account_disable")
    assert [(r.actor_username, r.object_type, r.object_id) for r in disabled] == [
        ("admin", "staff_account", str(staff.local7.pk))
    ]
    # Whichever token model the API uses, none is left for the account.
    for model in accounts.api_token_models():
        assert not model._default_manager.filter(user=staff.local7).exists()


def test_only_admins_manage_accounts_and_nobody_disables_themself(staff):
    with pytest.raises(NotAllowed):
        accounts.account_disable(account=staff.local7, actor=staff.supervisor, reason="x")
    with pytest.raises(ValidationFailed):
        accounts.account_disable(account=staff.admin, actor=staff.admin, reason="x")
    with pytest.raises(ValidationFailed, match="why"):
        accounts.account_disable(account=staff.local7, actor=staff.admin, reason="")


def test_password_reset_unlock_and_enable_are_audited(api, staff, rows):
    client = api.as_user(staff.local7)
    password = accounts.account_password_reset(account=staff.local7, actor=staff.admin)
    staff.local7.refresh_from_db()
    assert staff.local7.check_password(password)
    assert client.get("/api/v1/cases/").status_code in (401, 403)  # the old token ended
    accounts.account_unlock(account=staff.local7, actor=staff.admin)
    accounts.account_disable(account=staff.local7, actor=staff.admin, reason="Чөлөө")
    accounts.account_enable(account=staff.local7, actor=staff.admin)
    assert [r.action for r in rows()] == [
        "password_reset",
        "account_unlock",
        "account_disable",
        "account_enable",
    ]


def test_changing_ones_own_password_in_the_console(staff, rows):
    browser = Client()
    assert browser.login(username="agent", password="pass-12345")
    other = Client()
    assert other.login(username="agent", password="pass-12345")
    weak = browser.post(
        "/console/privacy/password/", {"old_password": "pass-12345", "new_password": "123"}
    )
    assert weak.status_code == 400
    wrong = browser.post(
        "/console/privacy/password/",
        {"old_password": "nope", "new_password": "Long-enough-2026"},
    )
    assert b"current password" in wrong.content
    done = browser.post(
        "/console/privacy/password/",
        {"old_password": "pass-12345", "new_password": "Long-enough-2026"},
    )
    assert done.status_code == 302
    staff.agent.refresh_from_db()
    assert staff.agent.check_password("Long-enough-2026")
    assert browser.get("/console/inbox/").status_code == 200  # this session stays
    assert other.get("/console/inbox/").status_code == 302  # the other one ended
    [row] = rows(action="password_change")
    assert row.actor_username == "agent" and row.object_id == str(staff.agent.pk)


def test_staff_page_disables_and_shows_the_reset_password_once(staff, signed_in):
    admin = signed_in(staff.admin)
    page = admin.get(f"/console/privacy/staff/{staff.local7.pk}/")
    assert page.status_code == 200
    admin.post(f"/console/privacy/staff/{staff.local7.pk}/reset/")
    shown = admin.get(f"/console/privacy/staff/{staff.local7.pk}/")
    assert b'id="new-password"' in shown.content
    again = admin.get(f"/console/privacy/staff/{staff.local7.pk}/")
    assert b'id="new-password"' not in again.content
    admin.post(f"/console/privacy/staff/{staff.local7.pk}/disable/", {"reason": "Ажлаас гарсан"})
    staff.local7.refresh_from_db()
    assert staff.local7.is_active is False
    supervisor = signed_in(staff.supervisor)
    refused = supervisor.post(f"/console/privacy/staff/{staff.local7.pk}/enable/")
    assert refused.status_code == 403


def test_who_looked_at_this_person_and_the_csv_export(api, staff, citizen, signed_in):
    api.as_user(staff.local7).get(f"/api/v1/contacts/{citizen.pk}/")
    api.as_user(staff.agent).get(f"/api/v1/contacts/{citizen.pk}/timeline/")
    supervisor = signed_in(staff.supervisor)
    page = supervisor.get(f"/console/privacy/citizens/{citizen.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "local7" in body and "agent" in body
    export = supervisor.get(f"/console/privacy/audit/export.csv?contact={citizen.pk}")
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert lines[0][:5] == ["at", "actor", "via", "ip", "action"]
    assert [(line[1], line[4], line[6]) for line in lines[1:]] == [
        ("agent", "read", "timeline"),
        ("local7", "read", "contact"),
    ]
    per_staff = supervisor.get(f"/console/privacy/staff/{staff.local7.pk}/").content.decode()
    assert f"#{citizen.pk}" in per_staff
    log = supervisor.get("/console/privacy/audit/?action=read&since=2000-01-01")
    assert log.status_code == 200
    assert signed_in(staff.local7).get("/console/privacy/audit/").status_code == 403


def test_erasure_from_the_console_shows_why_it_is_refused(staff, signed_in, case):
    admin = signed_in(staff.admin)
    page = admin.get(f"/console/privacy/citizens/{case.beneficiary_id}/")
    assert case.number in page.content.decode()
    response = admin.post(
        f"/console/privacy/citizens/{case.beneficiary_id}/erase/",
        {"reason": "Хугацаа"},
        follow=True,
    )
    assert "cannot be erased yet" in response.content.decode()
