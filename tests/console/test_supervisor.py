"""The supervisor's desk: landing, wallboard, casework and call-centre pages, exports."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from cases import services as case_services
from crm.models import Role
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


class TableReader(HTMLParser):
    """The cells of one table (by the id of the section around it) as the browser shows them."""

    def __init__(self, section_id: str):
        super().__init__()
        self.section_id = section_id
        self.inside = False
        self.depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") == self.section_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "section":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.cell is not None:
            self.cell.append(data)


def page_table(html: str, name: str) -> list[list[str]]:
    reader = TableReader(f"table-{name}")
    reader.feed(html)
    return reader.rows


@pytest.fixture
def district_supervisor(tree):
    return UserFactory(username="sup.skh", role=Role.SUPERVISOR, unit=tree.skh)


@pytest.fixture
def cases_in_both_districts(tree, staff, placement):
    made = []
    for unit, channel in ((tree.k7, "sms"), (tree.k12, "walk_in"), (tree.s1, "kiosk")):
        made.append(
            case_services.case_create(
                beneficiary=ContactFactory(address_unit=unit),
                service=placement,
                actor=staff.agent,
                origin_channel=channel,
            )
        )
    return made


def test_a_supervisor_lands_on_the_desk_after_signing_in(client, staff):
    staff.supervisor.set_password("pw-12345-long")
    staff.supervisor.save()
    response = client.post(
        "/console/login/", {"username": "supervisor", "password": "pw-12345-long"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/supervisor/"
    page = client.get("/console/supervisor/")
    assert page.status_code == 200
    assert b'id="desk-sections"' in page.content and b'id="wallboard"' in page.content


def test_workers_are_sent_to_their_own_pages(signed_in, staff):
    for user in (staff.local7, staff.district, staff.agent):
        response = signed_in(user).get("/console/supervisor/casework/")
        assert response.status_code == 302
        assert "/supervisor/" not in response["Location"]


def test_the_wallboard_counts_a_new_sms(signed_in, staff, sms_from, citizen):
    client = signed_in(staff.supervisor)
    before = page_wallboard(client)
    sms_from("+97699112233", "Тусламж хэрэгтэй байна")
    after = page_wallboard(client)
    assert after["SMS"] == before["SMS"] + 1
    assert after["Telegram"] == before["Telegram"]


def page_wallboard(client) -> dict[str, int]:
    """Waiting conversations per channel, as the wallboard's table shows them."""
    html = client.get("/console/supervisor/wallboard/").content.decode()
    rows = page_table(f'<section id="table-wb">{html}</section>', "wb")
    return {row[0]: int(row[1]) for row in rows[1:]}


def test_casework_exports_hold_exactly_the_rows_of_the_page(
    signed_in, staff, cases_in_both_districts
):
    client = signed_in(staff.supervisor)
    html = client.get("/console/supervisor/casework/").content.decode()
    for name in ("status", "weekly"):
        shown = page_table(html, name)
        assert len(shown) > 1, name
        csv_response = client.get(f"/console/supervisor/casework/export/{name}.csv")
        assert csv_response.status_code == 200
        assert csv_response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert rows == shown, name
        xlsx_response = client.get(f"/console/supervisor/casework/export/{name}.xlsx")
        sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
        cells = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        assert cells == shown, name
    status_rows = page_table(html, "status")
    assert status_rows[0][:2] == ["Unit", "Service"]
    assert sum(int(r[-1]) for r in status_rows[1:]) == 3


def test_casework_drills_down_and_a_district_supervisor_sees_only_their_district(
    signed_in, staff, tree, district_supervisor, cases_in_both_districts
):
    national = signed_in(staff.supervisor).get("/console/supervisor/casework/").content.decode()
    assert f'href="?unit={tree.city.pk}"' in national
    city = signed_in(staff.supervisor).get(f"/console/supervisor/casework/?unit={tree.city.pk}")
    rows = page_table(city.content.decode(), "status")
    assert {r[0]: int(r[-1]) for r in rows[1:]} == {"Сонгинохайрхан": 2, "Сүхбаатар": 1}

    own = signed_in(district_supervisor).get("/console/supervisor/casework/").content.decode()
    rows = page_table(own, "status")
    assert {r[0] for r in rows[1:]} == {"7-р хороо", "12-р хороо"}
    # Asking for the other district shows none of its cases.
    other = signed_in(district_supervisor).get(f"/console/supervisor/casework/?unit={tree.sbd.pk}")
    assert "Сүхбаатар" not in {r[0] for r in page_table(other.content.decode(), "status")[1:]}
    csv_rows = list(
        csv.reader(
            io.StringIO(
                signed_in(district_supervisor)
                .get("/console/supervisor/casework/export/status.csv")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert sum(int(r[-1]) for r in csv_rows[1:]) == 2


def test_a_bad_period_is_explained_and_changes_nothing(signed_in, staff):
    response = signed_in(staff.supervisor).get("/console/supervisor/casework/?since=31.12.2026")
    assert response.status_code == 400
    assert b"YYYY-MM-DD" in response.content


def test_the_call_centre_page_counts_conversations_per_channel(signed_in, staff, sms_from, citizen):
    sms_from("+97699112233", "Сайн байна уу")
    sms_from("+97699112233", "Асуулт байна")
    html = signed_in(staff.supervisor).get("/console/supervisor/callcentre/").content.decode()
    volume = page_table(html, "volume")
    assert volume[0][0] == "Day" and "SMS" in volume[0]
    assert sum(int(r[-1]) for r in volume[1:]) == 2
    response = page_table(html, "response")
    assert response[1][:2] == ["SMS", "1"]
    export = signed_in(staff.supervisor).get("/console/supervisor/callcentre/export/volume.xlsx")
    assert export.status_code == 200
    assert (
        signed_in(staff.supervisor)
        .get("/console/supervisor/callcentre/export/volume.pdf")
        .status_code
        == 404
    )


def test_the_wallboard_counts_callers_waiting_in_the_hotline_queue(signed_in, staff, citizen, tree):
    from django.utils import timezone

    from crm.models import Conversation
    from ivr.models import Call

    conversation = Conversation.objects.create(contact=citizen, channel="voice")
    Call.objects.create(
        call_sid="CA" + "1" * 32,
        state=Call.State.QUEUED,
        direction="in",
        contact=citizen,
        conversation=conversation,
        enqueued_at=timezone.now(),
    )
    html = signed_in(staff.supervisor).get("/console/supervisor/wallboard/").content.decode()
    assert '<div class="stat" id="wb-calls"><b>1</b>' in html
    elsewhere = UserFactory(username="sup.sbd", role=Role.SUPERVISOR, unit=tree.sbd)
    html = signed_in(elsewhere).get("/console/supervisor/wallboard/").content.decode()
    assert '<div class="stat" id="wb-calls"><b>0</b>' in html


def test_the_wallboard_counts_silent_kiosks_in_the_area(signed_in, staff, tree):
    from kiosk.models import Kiosk

    Kiosk.objects.create(name="Хорооны киоск", unit=tree.k7)
    html = signed_in(staff.supervisor).get("/console/supervisor/wallboard/").content.decode()
    assert 'id="wb-kiosks"><b>1</b>' in html
    elsewhere = UserFactory(username="sup.sbd", role=Role.SUPERVISOR, unit=tree.sbd)
    html = signed_in(elsewhere).get("/console/supervisor/wallboard/").content.decode()
    assert 'id="wb-kiosks"><b>0</b>' in html
