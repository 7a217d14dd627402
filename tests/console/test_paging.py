"""Long lists page: the inbox by "older than", worklists by number; counts stay bounded."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Status
from console import selectors
from console.paging import Cursor
from crm.models import Conversation, Role
from tests.cases.factories import CaseFactory, placement_service
from tests.factories import ContactFactory, ConversationFactory, UserFactory

NOW = timezone.now().replace(microsecond=123456)


def _conversations(unit, count: int, *, start: int = 0, step: int = 2) -> list[Conversation]:
    """Live conversations of citizens of ``unit``, one minute apart (newest is ``start``)."""
    rows = []
    for i in range(count):
        contact = ContactFactory(address_unit=unit, first_name=f"Name{start + i * step:03d}")
        rows.append(
            ConversationFactory(
                contact=contact,
                last_activity_at=NOW - dt.timedelta(minutes=start + i * step),
                unread_count=1,
            )
        )
    return rows


def _rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-conversation="(\d+)"', html)]


def _link(html: str, element_id: str) -> str | None:
    match = re.search(rf'id="{element_id}" href="([^"]+)"', html)
    return unescape(match.group(1)) if match else None


def _walk_inbox(client, url: str = "/console/inbox/") -> list[list[int]]:
    """Every page of the inbox, following "Older conversations" like an agent would."""
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(_rows(html))
        url = _link(html, "inbox-older")
        assert len(pages) < 20
    return pages


def test_the_inbox_pages_from_newest_to_oldest_without_repeating_or_skipping(
    staff, tree, signed_in
):
    conversations = _conversations(tree.k7, 30)
    # Three more share one timestamp that falls on the page boundary: the id breaks the tie.
    same_time = NOW - dt.timedelta(minutes=47, seconds=30)
    for _ in range(3):
        ConversationFactory(
            contact=ContactFactory(address_unit=tree.k12), last_activity_at=same_time
        )
    expected = list(
        Conversation.objects.order_by("-last_activity_at", "-id").values_list("pk", flat=True)
    )

    pages = _walk_inbox(signed_in(staff.agent))

    assert [len(p) for p in pages] == [25, 8]
    assert [pk for page in pages for pk in page] == expected
    assert len(expected) == len(conversations) + 3


def test_an_older_page_links_back_to_the_newest_and_keeps_the_filters(staff, tree, signed_in):
    _conversations(tree.k7, 30)
    agent = signed_in(staff.agent)
    first = agent.get("/console/inbox/?channel=sms").content.decode()
    older = _link(first, "inbox-older")
    assert older.startswith("/console/inbox/?channel=sms&before=")
    second = agent.get(older).content.decode()
    assert len(_rows(second)) == 5
    assert _link(second, "inbox-newest") == "/console/inbox/?channel=sms"
    assert _link(second, "inbox-older") is None

    # The htmx fragment of an older page refreshes itself at the same place (live events),
    # and the address bar keeps it for a reload.
    cursor = older.split("before=")[1]
    fragment = agent.get(f"/console/inbox/list/?channel=sms&before={cursor}")
    assert f'hx-get="/console/inbox/list/?before={cursor}"' in fragment.content.decode()
    assert fragment["HX-Replace-Url"] == f"/console/inbox/?channel=sms&before={cursor}"
    assert len(_rows(fragment.content.decode())) == 5


def test_a_page_after_the_last_says_so_and_a_broken_cursor_shows_the_newest(staff, tree, signed_in):
    _conversations(tree.k7, 3)
    agent = signed_in(staff.agent)
    long_ago = Cursor(at=NOW - dt.timedelta(days=999), pk=1)
    beyond = agent.get(f"/console/inbox/?before={long_ago}").content.decode()
    assert _rows(beyond) == [] and "No older conversations." in beyond
    assert _link(beyond, "inbox-newest") == "/console/inbox/"
    broken = agent.get("/console/inbox/?before=yesterday").content.decode()
    assert len(_rows(broken)) == 3 and 'id="inbox-pager"' not in broken


def test_jurisdiction_applies_on_every_page(tree, signed_in):
    supervisor = UserFactory(username="sup.skh", role=Role.SUPERVISOR, unit=tree.skh)
    # Interleaved in time: a citizen of Songinokhairkhan, then one of Sukhbaatar, ...
    mine = _conversations(tree.k7, 30, start=0, step=2)
    others = _conversations(tree.s1, 30, start=1, step=2)

    pages = _walk_inbox(signed_in(supervisor))

    assert [len(p) for p in pages] == [25, 5]
    seen = [pk for page in pages for pk in page]
    assert seen == [c.pk for c in mine]
    assert not set(seen) & {c.pk for c in others}


def test_inbox_headline_figures_stop_at_the_limit(staff, tree, signed_in, monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_COUNT_LIMIT", 4)
    _conversations(tree.k7, 6)
    _conversations(tree.k7, 2, start=100)
    Conversation.objects.filter(pk__in=Conversation.objects.order_by("pk")[:1]).update(
        assignee=staff.agent
    )
    html = signed_in(staff.agent).get("/console/inbox/").content.decode()
    assert '<b id="count-open">4+</b>' in html
    assert '<b id="count-unread">' in html and re.search(r'id="count-unread">\d\+<', html)
    assert '<b id="count-unassigned">4+</b>' in html
    assert '<b id="count-mine">1</b>' in html


def test_the_inbox_reads_the_same_number_of_queries_for_3_or_30_rows(staff, tree, signed_in):
    agent = signed_in(staff.agent)
    agent.get("/console/inbox/")  # session, language: warmed
    _conversations(tree.k7, 3)
    with CaptureQueriesContext(connection) as few:
        agent.get("/console/inbox/")
    _conversations(tree.k12, 27, start=200)
    with CaptureQueriesContext(connection) as many:
        response = agent.get("/console/inbox/")
    assert len(_rows(response.content.decode())) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_one_take_form_serves_every_row(staff, tree, signed_in):
    conversation = _conversations(tree.k7, 2)[0]
    agent = signed_in(staff.agent)
    html = agent.get("/console/inbox/").content.decode()
    assert html.count('id="take-form"') == 1
    assert f'formaction="/console/inbox/{conversation.pk}/take/"' in html
    response = agent.post(f"/console/inbox/{conversation.pk}/take/")
    assert response.status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).assignee == staff.agent


# --- worklists -----------------------------------------------------------------------------


@pytest.fixture
def queue(tree):
    """30 submitted placement requests in Songinokhairkhan, 10 in Sukhbaatar."""
    service = placement_service()
    base = timezone.now() - dt.timedelta(days=10)

    def make(unit, district, i: int) -> Case:
        return CaseFactory(
            service=service,
            beneficiary=ContactFactory(address_unit=unit),
            district=district,
            status=Status.SUBMITTED,
            submitted_at=base + dt.timedelta(hours=i),
            # Groups of equal scores: the submission time, then the id, decide inside them.
            priority_score=(i % 3) * 10,
        )

    skh = [make(tree.k7 if i % 2 else tree.k12, tree.skh, i) for i in range(30)]
    sbd = [make(tree.s1, tree.sbd, i) for i in range(10)]
    return skh, sbd


def _case_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-case="([^"]+)">', html)


def _places(html: str) -> list[int]:
    return [int(p) for p in re.findall(r"<td>(\d+)</td>", html)]


def test_the_district_queue_pages_in_queue_order(staff, signed_in, queue):
    skh, sbd = queue
    district = signed_in(staff.district)
    expected = [
        c.number for c in sorted(skh, key=lambda c: (-c.priority_score, c.submitted_at, c.pk))
    ]

    first = district.get("/console/cases/?status=submitted").content.decode()
    assert _case_rows(first) == expected[:25]
    assert _places(first) == list(range(1, 26))
    assert "Requests 1–25 of 30" in first
    assert _link(first, "worklist-next") == "?status=submitted&page=2"
    assert _link(first, "worklist-previous") is None

    second = district.get("/console/cases/?status=submitted&page=2").content.decode()
    assert _case_rows(second) == expected[25:]
    # The queue place is the place in the whole district queue, not on the page.
    assert _places(second) == list(range(26, 31))
    assert "Requests 26–30 of 30" in second
    assert _link(second, "worklist-previous") == "?status=submitted"
    assert _link(second, "worklist-next") is None
    assert not {c.number for c in sbd} & set(_case_rows(first) + _case_rows(second))


def test_a_worklist_page_past_the_end_is_empty_not_an_error(staff, signed_in, queue):
    response = signed_in(staff.district).get("/console/cases/?status=submitted&page=9")
    html = response.content.decode()
    assert response.status_code == 200 and _case_rows(html) == []
    assert "No more requests on this page." in html
    assert _link(html, "worklist-previous") == "?status=submitted&page=8"


def test_the_other_district_pages_through_its_own_cases_only(staff, signed_in, queue):
    _, sbd = queue
    html = signed_in(staff.district_sbd).get("/console/cases/?status=submitted").content.decode()
    assert sorted(_case_rows(html)) == sorted(c.number for c in sbd)
    assert 'id="worklist-pager"' not in html


def test_worklist_tabs_count_only_up_to_the_limit(staff, signed_in, queue, monkeypatch):
    import console.paging

    monkeypatch.setattr(console.paging, "COUNT_LIMIT", 20)
    html = signed_in(staff.district).get("/console/cases/?status=submitted").content.decode()
    assert re.search(r'data-status="submitted">[^<]*<span class="badge">20\+</span>', html)
    # Past the counted rows the line says where the page is, not a total it does not know.
    assert "Requests 1–25</span>" in html


def test_the_worklist_reads_the_same_number_of_queries_for_any_page(staff, signed_in, queue):
    district = signed_in(staff.district)
    district.get("/console/cases/?status=submitted")
    with CaptureQueriesContext(connection) as first:
        district.get("/console/cases/?status=submitted")
    with CaptureQueriesContext(connection) as second:
        district.get("/console/cases/?status=submitted&page=2")
    assert len(first.captured_queries) == len(second.captured_queries) <= 12


@pytest.mark.parametrize(
    ("language", "older", "previous"),
    [("mn", "Өмнөх харилцаа →", "← Өмнөх"), ("ru", "Более ранние обращения →", "← Назад")],
)
def test_paging_speaks_the_staff_members_language(
    staff, tree, signed_in, queue, language, older, previous
):
    _conversations(tree.k7, 26)
    agent = signed_in(staff.agent)
    agent.cookies["django_language"] = language
    assert older in agent.get("/console/inbox/").content.decode()
    district = signed_in(staff.district)
    district.cookies["django_language"] = language
    page = district.get("/console/cases/?status=submitted&page=2").content.decode()
    assert previous in page
