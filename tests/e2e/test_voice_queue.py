"""A caller asks for an agent: the waiting call appears live in the inbox and the agent takes it.

The server of this test is the production ASGI app with the Twilio SDK's transport replaced
(``voice_asgi``), so the REST call that rings the agent's phone is captured where the SDK would
send it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, TWILIO_TOKEN, _free_port, _wait_healthy

pytestmark = pytest.mark.browser

CALLER = "+97699112233"  # Дорж Цэрэн in the demo data
AGENT_PHONE = "+97688997766"


@pytest.fixture(scope="module")
def voice_server(live, tmp_path_factory):
    """A second server process on the same database, its Twilio transport writing a log."""
    tmp = tmp_path_factory.mktemp("voice")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp / "twilio.jsonl"
    env = {
        **live.env,
        "PUBLIC_BASE_URL": base_url,
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_FROM_NUMBER": "+97670000000",
        "E2E_TWILIO_LOG": str(log_path),
    }
    live.query(
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "from cases.office_hours import CalendarOverride, OfficeHours\n"
        "from crm.models import User\n"
        f"User.objects.filter(username='agent.tuya').update(phone='{AGENT_PHONE}')\n"
        "OfficeHours.objects.update_or_create(country='MN', defaults=dict("
        "time_zone='Asia/Ulaanbaatar', opens_at=dt.time(0), "
        "closes_at=dt.time(23, 59, 59, 999999), lunch_starts_at=None, lunch_ends_at=None))\n"
        "from cases.sla import local_date\n"
        "today = local_date(timezone.now(), 'MN')\n"
        "CalendarOverride.objects.update_or_create(country='MN', date=today, "
        "defaults=dict(is_working_day=True, reason='browser test'))\n"
        "result = True"
    )
    daphne_log = open(tmp / "daphne.log", "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port),
         "tests.e2e.voice_asgi:application"],
        cwd=ROOT, env=env, stdout=daphne_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(base_url, process, tmp / "daphne.log")
        yield type("VoiceServer", (), {"base_url": base_url, "log": log_path})
    finally:
        process.terminate()
        process.wait(timeout=10)
        daphne_log.close()


def post_voice(server, path: str, fields: dict) -> ET.Element:
    from twilio.request_validator import RequestValidator

    url = server.base_url + path
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, fields)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"X-Twilio-Signature": signature},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return ET.fromstring(response.read())


def test_a_waiting_caller_appears_live_and_the_agent_takes_the_call(live, voice_server, browser):
    context = browser.new_context(
        base_url=voice_server.base_url, locale="en-US", viewport={"width": 1500, "height": 1000}
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": voice_server.base_url}])
    agent = context.new_page()
    agent.set_default_timeout(15_000)
    agent.goto("/console/login/")
    agent.fill("#id_username", "agent.tuya")
    agent.fill("#id_password", live.accounts["agent.tuya"])
    agent.click("button[type=submit]")
    agent.goto("/console/inbox/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")

    call = {
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "CallSid": "CA" + uuid.uuid4().hex,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": CALLER,
        "Caller": CALLER,
        "To": "+97670000000",
        "Called": "+97670000000",
    }
    menu = post_voice(voice_server, "/ivr/twilio/voice", call)
    action = menu.find("Gather").get("action")
    if "/language" in action:  # the demo citizen's language may not be on file
        menu = post_voice(
            voice_server, urllib.parse.urlsplit(action).path + "?" +
            urllib.parse.urlsplit(action).query, {**call, "Digits": "1"},
        )  # fmt: skip
        action = menu.find("Gather").get("action")
    parts = urllib.parse.urlsplit(action)
    queued = post_voice(
        voice_server,
        f"{parts.path}?{parts.query}",
        {**call, "CallStatus": "in-progress", "Digits": "3"},
    )
    assert queued.find("Enqueue") is not None

    waiting = agent.locator("[data-waiting-call]")
    expect(waiting).to_be_visible()  # no reload: the inbox refreshed itself
    row = agent.locator("#conversations tr", has=waiting)
    expect(row).to_contain_text("Дорж")
    row.get_by_role("button", name="Take call").click()
    expect(agent.locator(".messages")).to_contain_text("Your phone is ringing")

    requests = [json.loads(line) for line in voice_server.log.read_text().splitlines()]
    (placed,) = [r for r in requests if r["uri"].endswith("/Calls.json")]
    assert placed["method"] == "POST"
    assert placed["data"]["To"] == AGENT_PHONE
    twiml = ET.fromstring(placed["data"]["Twiml"])
    assert twiml.find("Dial/Queue").text.startswith("hotline-")
    context.close()
