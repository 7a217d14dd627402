import datetime as dt
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from crm.models import Household, HouseholdMember, Identity, RegistryPerson
from crm.registry import HttpRegistry, RegistryUnavailable
from crm.selectors import household_per_capita_income
from tests.factories import ContactFactory


@pytest.fixture
def registry_person(tree):
    return RegistryPerson.objects.create(
        national_id="УБ47051821",
        first_name="Батцэцэг",
        last_name="Мягмар",
        birth_date=dt.date(1947, 5, 18),
        sex="F",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо, 15-р байр",
    )


def test_lookup_registers_the_citizen_from_the_registry(api, staff, registry_person, tree):
    response = api.as_user(staff.local7).post(
        "/api/v1/contacts/lookup/", {"national_id": "уб 47051821"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["last_name"], body["first_name"], body["birth_date"]) == (
        "Мягмар",
        "Батцэцэг",
        "1947-05-18",
    )
    assert body["address_unit"]["id"] == tree.k7.pk
    assert body["identities"] == [
        {"scheme": "national_id", "value": "УБ47051821", "verified": True, "opted_out_at": None}
    ]
    again = api.as_user(staff.local7).post(
        "/api/v1/contacts/lookup/", {"national_id": "УБ47051821"}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]


def test_lookup_of_an_invalid_number_says_why_and_creates_nothing(api, staff):
    response = api.as_user(staff.local7).post(
        "/api/v1/contacts/lookup/", {"national_id": "УБ4705182"}, format="json"
    )
    assert response.status_code == 400
    assert "8 digits" in response.json()["detail"]
    assert not Identity.objects.exists()


def test_lookup_outside_the_jurisdiction_is_404(api, staff, registry_person):
    response = api.as_user(staff.local12).post(
        "/api/v1/contacts/lookup/", {"national_id": "УБ47051821"}, format="json"
    )
    assert response.status_code == 404


def test_unknown_to_the_registry_registers_an_unidentified_citizen(api, staff):
    response = api.as_user(staff.agent).post(
        "/api/v1/contacts/lookup/", {"national_id": "УБ65031512"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["is_identified"] is False


class _RegistryHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        from urllib.parse import unquote

        national_id = unquote(self.path.rsplit("/", 1)[-1])
        if self.headers.get("Authorization") != "Bearer t0ken":
            self.send_response(401)
            self.end_headers()
            return
        if national_id != "760212350620":
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps(
            {
                "national_id": national_id,
                "first_name": "Ерлан",
                "last_name": "Жақсыбеков",
                "birth_date": "1976-02-12",
                "sex": "M",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def registry_server():
    server = HTTPServer(("127.0.0.1", 0), _RegistryHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/persons"
    server.shutdown()


def test_http_registry_reads_a_real_endpoint(registry_server):
    registry = HttpRegistry(base_url=registry_server, token="t0ken")
    record = registry.lookup("760212350620")
    assert record.last_name == "Жақсыбеков"
    assert record.birth_date == dt.date(1976, 2, 12)
    assert registry.lookup("871008401427") is None
    with pytest.raises(RegistryUnavailable, match="401"):
        HttpRegistry(base_url=registry_server, token="wrong").lookup("760212350620")
    with pytest.raises(RegistryUnavailable):
        HttpRegistry(base_url="http://127.0.0.1:1", token="").lookup("760212350620")


@pytest.mark.django_db
def test_per_capita_income_averages_over_members():
    household = Household.objects.create()
    for income in ("420000", "0", "180000"):
        HouseholdMember.objects.create(
            household=household,
            contact=ContactFactory(),
            relationship="other",
            monthly_income=Decimal(income),
        )
    assert household_per_capita_income(household=household) == Decimal("200000")
    assert household_per_capita_income(household=Household.objects.create()) == 0
