"""The figures API: the same counts as the case list, the same jurisdiction, drill-downs that
add up."""

from __future__ import annotations

import pytest

from cases.transitions import case_apply_action
from crm.models import Role
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def casework(tree, staff, new_case, submitted_case):
    """Cases in both districts and three khoroos, in several statuses and channels."""
    made = []
    for unit, channel in (
        (tree.k7, "sms"),
        (tree.k7, "walk_in"),
        (tree.k12, "telegram"),
        (tree.s1, "sms"),
        (tree.s1, "kiosk"),
    ):
        made.append(new_case(ContactFactory(address_unit=unit), origin_channel=channel))
    made.append(submitted_case(ContactFactory(address_unit=tree.k7)))
    made.append(submitted_case(ContactFactory(address_unit=tree.s1)))
    returned = submitted_case(ContactFactory(address_unit=tree.k12))
    case_apply_action(
        case=returned,
        action="return",
        actor=staff.district,
        payload={"reason_code": "missing_document", "reason": "Эрүүл мэндийн хуудас дутуу"},
    )
    return made


def figures(api, user, query: str) -> dict:
    response = api.as_user(user).get(f"/api/v1/stats/cases/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def list_count(api, user, query: str) -> int:
    response = api.as_user(user).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.mark.parametrize("username", ["supervisor", "district", "local7", "admin"])
@pytest.mark.parametrize("extra", ["", "channel=sms", "service=care-home-placement"])
def test_figures_equal_the_case_list_for_the_same_user_and_filter(
    api, staff, casework, username, extra
):
    user = getattr(staff, username)
    for by, param in (("status", "status"), ("channel", "channel"), ("service", "service")):
        data = figures(api, user, f"by={by}&{extra}")
        assert data["total"] == list_count(api, user, extra)
        assert sum(row["count"] for row in data["results"]) == data["total"]
        for row in data["results"]:
            assert row["label"]
            if extra.startswith(f"{param}="):
                continue  # already narrowed to one value: the total above is the check
            query = f"{param}={row['key']}&{extra}"
            assert row["count"] == list_count(api, user, query), (by, row)


def test_drill_down_from_the_city_to_khoroos_adds_up(api, staff, tree, casework):
    national = figures(api, staff.supervisor, "by=unit")
    assert [(r["key"], r["count"]) for r in national["results"]] == [(tree.city.pk, 8)]
    city = figures(api, staff.supervisor, f"by=unit&unit={tree.city.pk}")
    assert {r["key"]: r["count"] for r in city["results"]} == {tree.skh.pk: 5, tree.sbd.pk: 3}
    assert sum(r["count"] for r in city["results"]) == national["results"][0]["count"]
    for district in (tree.skh, tree.sbd):
        below = figures(api, staff.supervisor, f"by=unit&unit={district.path}")
        parent = next(r["count"] for r in city["results"] if r["key"] == district.pk)
        assert sum(r["count"] for r in below["results"]) == parent
        for row in below["results"]:
            assert row["count"] == list_count(api, staff.supervisor, f"unit={row['key']}")
    khoroos = figures(api, staff.supervisor, f"by=unit&unit={tree.skh.pk}")
    assert {r["key"]: r["count"] for r in khoroos["results"]} == {tree.k7.pk: 3, tree.k12.pk: 2}


def test_a_district_supervisor_never_counts_another_districts_cases(api, tree, casework):
    supervisor = UserFactory(username="sup.sbd", role=Role.SUPERVISOR, unit=tree.sbd)
    data = figures(api, supervisor, "by=status")
    assert data["total"] == 3
    units = figures(api, supervisor, "by=unit")
    assert [r["key"] for r in units["results"]] == [tree.s1.pk]
    # Asking for the other district's unit narrows nothing into view.
    other = figures(api, supervisor, f"by=status&unit={tree.skh.pk}")
    assert other["total"] == 0 and other["results"] == []


def test_returns_are_counted_by_reason_code(api, staff, casework):
    data = figures(api, staff.supervisor, "by=return_reason")
    assert data["results"] == [{"key": "missing_document", "label": "Missing document", "count": 1}]


def test_bad_questions_get_a_clear_400(api, staff):
    response = api.as_user(staff.supervisor).get("/api/v1/stats/cases/?by=colour")
    assert response.status_code == 400
    assert "status" in response.json()["detail"]
    response = api.as_user(staff.supervisor).get("/api/v1/stats/cases/weekly/?since=yesterday")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["detail"]


def test_other_figures_answer_and_call_centre_figures_are_for_supervisors(
    api, staff, casework, carehome
):
    client = api.as_user(staff.supervisor)
    for url in (
        "/api/v1/stats/cases/weekly/",
        "/api/v1/stats/cases/steps/",
        "/api/v1/stats/cases/breaches/",
        "/api/v1/stats/cases/queue/",
        "/api/v1/stats/facilities/",
        "/api/v1/stats/callcentre/volume/",
        "/api/v1/stats/callcentre/response/",
        "/api/v1/stats/callcentre/resolved/?by=wrap_up_code",
    ):
        assert client.get(url).status_code == 200, url
    weekly = client.get("/api/v1/stats/cases/weekly/").json()["results"]
    assert sum(w["new"] for w in weekly) == 8
    assert sum(w["returned"] for w in weekly) == 1
    steps = client.get("/api/v1/stats/cases/steps/").json()["results"]
    assert {s["step"] for s in steps} == {"Saved (draft)", "Submitted"}
    queue = client.get("/api/v1/stats/cases/queue/").json()["results"]
    assert sum(q["count"] for q in queue) == 2
    assert api.as_user(staff.local7).get("/api/v1/stats/callcentre/volume/").status_code == 403


def test_the_figures_are_in_the_openapi_schema(api, staff):
    schema = api.as_user(staff.supervisor).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/stats/cases/",
        "/api/v1/stats/cases/weekly/",
        "/api/v1/stats/cases/steps/",
        "/api/v1/stats/callcentre/resolved/",
    ):
        assert path in schema["paths"], path
    by = next(
        p for p in schema["paths"]["/api/v1/stats/cases/"]["get"]["parameters"] if p["name"] == "by"
    )
    assert set(by["schema"]["enum"]) == {"status", "service", "unit", "channel", "return_reason"}
