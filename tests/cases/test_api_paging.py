"""The case list pages without counting every case, and never leaves the jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Status
from crm.api.pagination import CappedCountPagination
from tests.factories import ContactFactory

from .factories import CaseFactory, placement_service


@pytest.fixture
def lists(tree):
    """23 submitted requests in Songinokhairkhan, 7 in Sukhbaatar, created a minute apart."""
    service = placement_service()
    start = timezone.now() - dt.timedelta(days=1)

    def make(unit, district, i):
        case = CaseFactory(
            service=service,
            beneficiary=ContactFactory(address_unit=unit),
            district=district,
            status=Status.SUBMITTED,
            submitted_at=start,
            priority_score=i % 2,
        )
        # auto_now_add: set the creation time afterwards, ties included (same minute twice).
        case.__class__.objects.filter(pk=case.pk).update(
            created_at=start + dt.timedelta(minutes=i // 2)
        )
        return case

    skh = [make(tree.k7, tree.skh, i) for i in range(23)]
    sbd = [make(tree.s1, tree.sbd, i) for i in range(7)]
    return skh, sbd


def _walk(client, url):
    pages = []
    while url:
        body = client.get(url).json()
        pages.append(body)
        url = body["next"]
        assert len(pages) < 20
    return pages


@pytest.mark.parametrize("ordering", ["", "&ordering=priority_score", "&ordering=-created_at"])
def test_pages_cover_the_list_once_and_only_the_callers_district(api, staff, lists, ordering):
    skh, _ = lists
    pages = _walk(
        api.as_user(staff.district), f"/api/v1/cases/?status=submitted&page_size=10{ordering}"
    )
    ids = [row["id"] for page in pages for row in page["results"]]
    assert [len(p["results"]) for p in pages] == [10, 10, 3]
    assert sorted(ids) == sorted(c.pk for c in skh)  # no repeat, no gap, no other district
    assert {p["count"] for p in pages} == {23} and all(p["count_exact"] for p in pages)
    assert pages[1]["previous"] and pages[0]["previous"] is None


def test_the_count_stops_at_the_limit_and_the_next_link_still_leads_on(
    api, staff, lists, monkeypatch
):
    monkeypatch.setattr(CappedCountPagination, "count_limit", 5)
    client = api.as_user(staff.district)
    first = client.get("/api/v1/cases/?status=submitted&page_size=4").json()
    assert (first["count"], first["count_exact"]) == (5, False)
    assert first["next"]
    # Further on the count reaches at least to the end of the page asked for.
    fourth = client.get("/api/v1/cases/?status=submitted&page_size=4&page=4").json()
    assert (fourth["count"], fourth["count_exact"]) == (16, False) and fourth["next"]
    # The last page knows the total without counting.
    last = client.get("/api/v1/cases/?status=submitted&page_size=4&page=6").json()
    assert (last["count"], last["count_exact"]) == (23, True) and last["next"] is None
    assert len(last["results"]) == 3
    assert client.get("/api/v1/cases/?status=submitted&page_size=4&page=7").status_code == 404


def test_a_short_list_is_answered_without_a_count_query(api, staff, lists):
    client = api.as_user(staff.district_sbd)
    client.get("/api/v1/cases/?status=submitted")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/cases/?status=submitted").json()
    assert body["count"] == 7 and body["count_exact"] is True
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]


def test_the_schema_documents_the_bounded_count(api, staff):
    import yaml

    schema = yaml.safe_load(api.as_user(staff.agent).get("/api/schema/").content)
    page = schema["components"]["schemas"]["PaginatedCaseListList"]
    assert set(page["properties"]) == {"count", "count_exact", "next", "previous", "results"}
    assert "lower bound" in page["properties"]["count"]["description"]
