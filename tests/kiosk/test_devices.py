"""Kiosk devices: registration, pairing, the device token, disabling, heartbeat, throttling."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from kiosk.devices import kiosk_disable, kiosk_register
from kiosk.models import Kiosk

from .conftest import API, KioskClient

PATHS = [API, API + "catalogue/", API + "me/", API + "no/such/path/"]


@pytest.mark.parametrize("path", PATHS)
def test_without_a_token_every_path_answers_401_and_nothing_else(db, path, api):
    response = api.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Kiosk"
    assert set(response.json()) <= {"detail", "code"}


@pytest.mark.parametrize("path", PATHS)
def test_a_wrong_token_is_401(device, path):
    response = KioskClient("not-a-real-token").get(path)
    assert response.status_code == 401


def test_a_staff_api_token_is_not_a_kiosk_token(device, staff, api):
    assert api.as_user(staff.agent).get(API).status_code == 401


def test_the_root_answers_the_devices_own_status(device, tree):
    response = device.get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["kiosk"]["name"] == "Khoroo 7 hall"
    assert body["kiosk"]["country"] == "MN"
    assert body["idle_seconds"] == 60
    assert device.get(API + "no/such/path/").status_code == 404


def test_pairing_replaces_the_printed_token_and_a_code_works_once(tree, api):
    credentials = kiosk_register(unit=tree.k7, name="Soum hall")
    assert KioskClient(credentials.token).get(API).status_code == 200  # printed token works

    first = api.post("/kiosk/pair/", {"code": credentials.pairing_code}, format="json")
    assert first.status_code == 200
    token = first.json()["token"]
    assert token != credentials.token
    assert KioskClient(token).get(API).status_code == 200
    assert KioskClient(credentials.token).get(API).status_code == 401  # replaced

    again = api.post("/kiosk/pair/", {"code": credentials.pairing_code}, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "pairing_failed"
    assert "token" not in again.json()
    assert KioskClient(token).get(API).status_code == 200  # the second try took nothing


def test_an_expired_or_made_up_pairing_code_pairs_nothing(tree, api):
    credentials = kiosk_register(unit=tree.k7, name="Soum hall")
    Kiosk.objects.update(pairing_code_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.post("/kiosk/pair/", {"code": credentials.pairing_code}).status_code == 400
    assert api.post("/kiosk/pair/", {"code": "0123456789"}).status_code == 400
    assert api.post("/kiosk/pair/", {}).status_code == 400


def test_only_hashes_of_the_secrets_are_stored(tree):
    credentials = kiosk_register(unit=tree.k7, name="Soum hall")
    row = Kiosk.objects.filter(pk=credentials.kiosk.pk).values().get()
    stored = json.dumps(row, default=str)
    assert credentials.token not in stored
    assert credentials.pairing_code not in stored


def test_a_disabled_kiosk_is_refused_at_once(device):
    assert device.get(API).status_code == 200
    kiosk_disable(kiosk=device.kiosk)
    assert device.get(API).status_code == 401


def test_every_call_is_a_heartbeat_and_the_admin_flags_silent_kiosks(device, register, client):
    silent, _token = register("Basement")
    Kiosk.objects.filter(pk=silent.pk).update(last_seen_at=timezone.now() - dt.timedelta(hours=1))
    Kiosk.objects.filter(pk=device.kiosk.pk).update(last_seen_at=None)
    assert device.post(API + "heartbeat/").status_code == 200
    device.kiosk.refresh_from_db()
    assert device.kiosk.last_seen_at is not None
    assert not device.kiosk.is_stale()

    from tests.factories import UserFactory

    admin = UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/kiosk/kiosk/?seen=stale").content.decode()
    assert "Basement" in page
    assert "Khoroo 7 hall" not in page


def test_requests_are_throttled_per_device(device, other_device, settings):
    settings.KIOSK_THROTTLE_RATE = "3/min"
    assert [device.get(API).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert other_device.get(API).status_code == 200  # another kiosk has its own budget


def test_kiosk_register_prints_the_token_and_pairing_code_once(tree, capsys, api):
    call_command("kiosk_register", "--unit", "MN/UB/SKH/07", "--name", "Hall", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed["unit"] == "MN/UB/SKH/07"
    assert KioskClient(printed["token"]).get(API).status_code == 200
    paired = api.post("/kiosk/pair/", {"code": printed["pairing_code"]}, format="json")
    assert paired.status_code == 200

    call_command("kiosk_register", "--unit", str(tree.k12.pk), "--name", "Hall 12")
    assert "Pairing code" in capsys.readouterr().out


def test_kiosk_register_says_which_unit_is_unknown(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="MN/NOWHERE"):
        call_command("kiosk_register", "--unit", "MN/NOWHERE", "--name", "Hall")


def test_an_operator_registers_a_kiosk_in_the_admin_and_sees_its_secrets_once(tree, client):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/kiosk/kiosk/add/", {"name": "Hospital lobby", "unit": tree.k12.pk}, follow=True
    )
    assert response.status_code == 200
    kiosk = Kiosk.objects.get(name="Hospital lobby")
    shown = [str(m) for m in response.context["messages"]]
    assert any("pairing code" in m for m in shown)
    code = next(m for m in shown if "pairing code" in m).split("pairing code ")[1][:10]
    assert code.isdigit()
    assert kiosk.pairing_code_hash and code not in json.dumps(
        Kiosk.objects.filter(pk=kiosk.pk).values().get(), default=str
    )
    # Disabling from the list is immediate.
    client.post(
        "/admin/kiosk/kiosk/", {"action": "disable", "_selected_action": [kiosk.pk]}, follow=True
    )
    kiosk.refresh_from_db()
    assert not kiosk.is_active


def test_codes_sent_from_one_kiosk_are_throttled(device, other_device, dorj, oyun, settings):
    settings.KIOSK_IDENTIFY_THROTTLE_RATE = "2/min"
    statuses = [
        device.post(API + "identify/", {"national_id": nid}).status_code
        for nid in ("УБ45031512", "УБ55120312", "УБ45031512")
    ]
    assert statuses == [201, 201, 429]
    assert device.get(API).status_code == 200  # reading goes on
    assert other_device.post(API + "identify/", {"national_id": "УБ55120312"}).status_code == 201
