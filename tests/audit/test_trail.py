"""The trail itself: who may read it, that nobody can change it, and retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AppendOnly, AuditEntry
from audit.recorder import audit_record
from audit.retention import audit_purge_expired

pytestmark = pytest.mark.django_db


def _read(api, user, contact):
    assert api.as_user(user).get(f"/api/v1/contacts/{contact.pk}/").status_code == 200


def test_api_lists_newest_first_with_the_contract_fields(api, staff, citizen):
    _read(api, staff.local7, citizen)
    _read(api, staff.district, citizen)
    body = api.as_user(staff.supervisor).get(f"/api/v1/audit/?contact={citizen.pk}").json()
    rows = body["results"]
    assert [r["actor"] for r in rows] == ["district", "local7"]
    first = rows[0]
    assert {"at", "actor", "action", "object_type", "object_id"} <= set(first)
    assert (first["action"], first["object_type"], first["object_id"]) == (
        "read",
        "contact",
        str(citizen.pk),
    )


def test_filters_by_actor_and_since(api, staff, citizen):
    _read(api, staff.local7, citizen)
    _read(api, staff.district, citizen)
    client = api.as_user(staff.admin)
    by_actor = client.get("/api/v1/audit/?actor=local7&object_type=contact").json()["results"]
    assert {r["actor"] for r in by_actor} == {"local7"}
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.get(f"/api/v1/audit/?since={tomorrow}").json()["results"] == []
    bad = client.get("/api/v1/audit/?since=yesterday")
    assert bad.status_code == 400 and "since" in bad.json()["detail"]


def test_only_supervisors_and_admins_read_it(api, staff):
    for user in (staff.agent, staff.local7, staff.district):
        assert api.as_user(user).get("/api/v1/audit/").status_code == 403
    assert api.as_user(staff.supervisor).get("/api/v1/audit/").status_code == 200


def test_a_regional_supervisor_sees_only_their_region(api, staff, tree, citizen, other_citizen):
    from crm.models import Role
    from tests.factories import UserFactory

    regional = UserFactory(username="sup_skh", role=Role.SUPERVISOR, unit=tree.skh)
    _read(api, staff.admin, citizen)
    _read(api, staff.admin, other_citizen)
    seen = api.as_user(regional).get("/api/v1/audit/?object_type=contact").json()["results"]
    assert {r["contact"] for r in seen} == {citizen.pk}


def test_rows_cannot_be_changed_through_the_api(api, staff, citizen):
    _read(api, staff.local7, citizen)
    row = AuditEntry.objects.get()
    client = api.as_user(staff.admin)
    assert client.delete(f"/api/v1/audit/{row.pk}/").status_code in (404, 405)
    assert client.patch(f"/api/v1/audit/{row.pk}/", {"action": "x"}).status_code in (404, 405)
    assert client.post("/api/v1/audit/", {"action": "read"}).status_code == 405
    assert AuditEntry.objects.get().action == "read"


def test_rows_cannot_be_changed_through_the_admin(staff, citizen, signed_in):
    row = audit_record(actor=staff.local7, action="read", object_type="contact", object_id=1)
    admin = signed_in(staff.admin)
    url = f"/admin/audit/auditentry/{row.pk}/"
    assert admin.get(f"{url}change/").status_code == 200  # the superuser may look
    assert admin.post(f"{url}change/", {"action": "update"}).status_code == 403
    assert admin.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert admin.get("/admin/audit/auditentry/add/").status_code == 403
    row.refresh_from_db()
    assert row.action == "read"
    assert AuditEntry.objects.filter(pk=row.pk).exists()


def test_rows_cannot_be_changed_through_the_orm(staff):
    row = audit_record(actor=staff.local7, action="read", object_type="contact", object_id=1)
    row.action = "update"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=row.pk).update(action="update")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


def test_retention_deletes_only_what_is_older_than_the_setting(staff, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    for age in (31, 30.01, 29.99, 0):
        row = audit_record(actor=staff.local7, action="read", object_type="contact", object_id=1)
        # Rows are append-only: the test ages them in SQL, as time would.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {AuditEntry._meta.db_table} SET at = %s WHERE id = %s",
                [now - dt.timedelta(days=age), row.pk],
            )
    assert audit_purge_expired(now=now) == 2
    ages = sorted((now - at).days for at in AuditEntry.objects.values_list("at", flat=True))
    assert ages == [0, 29]
    assert audit_purge_expired(now=now) == 0


def test_retention_zero_keeps_everything(staff, settings):
    settings.AUDIT_RETENTION_DAYS = 0
    audit_record(actor=staff.local7, action="read", object_type="contact", object_id=1)
    assert audit_purge_expired(now=timezone.now() + dt.timedelta(days=9999)) == 0


def test_the_retention_job_is_scheduled_daily(settings):
    job = settings.CELERY_BEAT_SCHEDULE["audit-purge-expired"]
    assert job["task"] == "audit.tasks.audit_purge_expired"
    from audit.tasks import audit_purge_expired_task

    assert audit_purge_expired_task.name == job["task"]


def test_the_address_behind_a_proxy(api, staff, citizen, settings):
    settings.AUDIT_PROXY_COUNT = 1
    client = api.as_user(staff.local7)
    client.get(f"/api/v1/contacts/{citizen.pk}/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert AuditEntry.objects.get().ip == "203.0.113.7"


def test_every_audited_url_name_exists():
    """A renamed view would silently stop being audited: every name in the table resolves."""
    from django.urls import get_resolver

    from audit.points import API, CONSOLE

    resolver = get_resolver()
    api_names = set()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "pattern", None) and str(pattern.pattern) == "api/v1/":
            api_names = {name for name in pattern.reverse_dict if isinstance(name, str)}
    console_names = {
        name for name in resolver.namespace_dict["console"][1].reverse_dict if isinstance(name, str)
    }
    assert set(API) - api_names == set()
    assert set(CONSOLE) - console_names == set()
