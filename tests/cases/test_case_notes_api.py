"""Notes and tasks on a case through the API, as an integrator's client would use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_notes_and_tasks_are_written_read_and_ticked_off_under_the_case(api, staff, new_case):
    case = new_case()
    district = api.as_user(staff.district)
    written = district.post(
        f"/api/v1/cases/{case.pk}/notes/", {"text": "Хүү нь ирж уулзсан."}, format="json"
    )
    assert written.status_code == 201, written.json()
    assert written.json()["author"]["username"] == "district"
    empty = district.post(f"/api/v1/cases/{case.pk}/notes/", {"text": " "}, format="json")
    assert empty.status_code == 400
    notes = district.get(f"/api/v1/cases/{case.pk}/notes/").json()
    assert [n["text"] for n in notes] == ["Хүү нь ирж уулзсан."]

    today = timezone.localdate()
    late = district.post(
        f"/api/v1/cases/{case.pk}/tasks/",
        {"title": "Visit", "assignee": staff.local7.pk, "due_on": str(today - dt.timedelta(1))},
        format="json",
    )
    assert late.status_code == 400 and "due_on" in str(late.json())
    stranger = district.post(
        f"/api/v1/cases/{case.pk}/tasks/",
        {"title": "Visit", "assignee": staff.local12.pk, "due_on": str(today)},
        format="json",
    )
    assert stranger.status_code == 400 and "assignee" in str(stranger.json())
    made = district.post(
        f"/api/v1/cases/{case.pk}/tasks/",
        {"title": "Visit the home", "assignee": staff.local7.pk, "due_on": str(today)},
        format="json",
    )
    assert made.status_code == 201, made.json()
    task = made.json()
    assert (task["assignee"]["username"], task["due_on"], task["done_at"]) == (
        "local7",
        str(today),
        None,
    )

    # Outside the area: no such task; done once, a second time is a conflict.
    outsider = api.as_user(staff.local_s1).post(
        f"/api/v1/cases/{case.pk}/tasks/{task['id']}/done/", format="json"
    )
    assert outsider.status_code == 404  # another soum's worker does not see the case
    closed = api.as_user(staff.admin).post(
        f"/api/v1/cases/{case.pk}/tasks/{task['id']}/done/", format="json"
    )
    assert closed.status_code == 200  # an administrator may close anything
    again = api.as_user(staff.local7).post(
        f"/api/v1/cases/{case.pk}/tasks/{task['id']}/done/", format="json"
    )
    assert again.status_code == 409
    listed = api.as_user(staff.local7).get(f"/api/v1/cases/{case.pk}/tasks/").json()
    assert listed[0]["done_by"]["username"] == "admin"

    # Outside the jurisdiction the case's notes do not exist.
    assert api.as_user(staff.district_sbd).get(f"/api/v1/cases/{case.pk}/notes/").status_code == 404


def test_the_schema_lists_notes_tasks_and_the_admission_fields(api):
    import yaml

    schema = yaml.safe_load(api.get("/api/schema/").content)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/cases/{id}/notes/"])
    assert {"get", "post"} <= set(paths["/api/v1/cases/{id}/tasks/"])
    assert "post" in paths["/api/v1/cases/{id}/tasks/{task_id}/done/"]
    action_body = schema["components"]["schemas"]["CaseActionRequest"]["properties"]
    assert {"admitted_on", "room", "bed"} <= set(action_body)
