"""A registered, paired kiosk in khoroo 7, citizens with national IDs, and their cases."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from crm.models import Identity
from kiosk.devices import kiosk_pair, kiosk_register
from kiosk.models import KioskSession
from tests.cases.conftest import (  # noqa: F401  (fixtures shared with the case core's tests)
    _service_catalogue,
    new_case,
    placement,
    submitted_case,
)
from tests.factories import ContactFactory, IdentityFactory

API = "/kiosk/api/v1/"


class KioskClient(APIClient):
    """An API client that speaks as one kiosk device (and, once identified, one citizen)."""

    def __init__(self, token: str, language: str = "en") -> None:
        super().__init__()
        self.token = token
        self.session_key = ""
        self.language = language

    def _headers(self, extra: dict) -> dict:
        headers = {
            "HTTP_AUTHORIZATION": f"Kiosk {self.token}",
            "HTTP_X_KIOSK_LANGUAGE": self.language,
        }
        if self.session_key:
            headers["HTTP_X_KIOSK_SESSION"] = self.session_key
        return {**headers, **extra}

    def get(self, path, data=None, **extra):
        return super().get(path, data, **self._headers(extra))

    def post(self, path, data=None, format="json", **extra):
        return super().post(path, data, format=format, **self._headers(extra))


@pytest.fixture
def register(tree):
    def make(name: str = "Khoroo 7 hall", unit=None):
        credentials = kiosk_register(unit=unit or tree.k7, name=name)
        kiosk, token = kiosk_pair(code=credentials.pairing_code)
        return kiosk, token

    return make


@pytest.fixture
def device(register):
    kiosk, token = register()
    client = KioskClient(token)
    client.kiosk = kiosk
    return client


@pytest.fixture
def other_device(register):
    kiosk, token = register("Hospital lobby")
    client = KioskClient(token)
    client.kiosk = kiosk
    return client


def citizen_with(tree, national_id: str, phone: str | None, **fields):
    contact = ContactFactory(address_unit=tree.k7, **fields)
    IdentityFactory(contact=contact, scheme=Identity.Scheme.NATIONAL_ID, value=national_id)
    if phone:
        IdentityFactory(contact=contact, scheme=Identity.Scheme.PHONE, value=phone)
    return contact


@pytest.fixture
def dorj(tree):
    return citizen_with(tree, "УБ45031512", "+97699112233", first_name="Цэрэн", last_name="Дорж")


@pytest.fixture
def oyun(tree):
    return citizen_with(
        tree, "УБ55120312", "+97699667788", first_name="Оюунчимэг", last_name="Намжил"
    )


def last_code(contact) -> str:
    """The code as the citizen reads it off their phone: from the outbox message's text."""
    import re

    from channels_app.models import OutboundMessage

    message = (
        OutboundMessage.objects.filter(contact=contact, template_code="kiosk_code")
        .order_by("-id")
        .first()
    )
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def identify(client: KioskClient, contact, national_id: str) -> str:
    response = client.post(API + "identify/", {"national_id": national_id})
    assert response.status_code == 201, response.content
    client.session_key = response.json()["session"]
    return last_code(contact)


def sign_in(client: KioskClient, contact, national_id: str):
    code = identify(client, contact, national_id)
    response = client.post(API + "verify/", {"code": code})
    assert response.status_code == 200, response.content
    return KioskSession.objects.get(kiosk=client.kiosk, state="active")
