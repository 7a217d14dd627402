"""The supervisor's desk in a browser: the wallboard moves when an SMS arrives, the casework
and call-centre pages draw their charts, every page is photographed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import post_signed_sms

pytestmark = pytest.mark.browser

NEW_SENDER = "+97688112299"  # nobody in the demo data: a new conversation


def test_the_wallboard_counts_an_arriving_sms_without_a_reload(live, sign_in, screenshot):
    supervisor = sign_in("supervisor")
    expect(supervisor).to_have_url(f"{live.base_url}/console/supervisor/")
    expect(supervisor.locator("#live-status")).to_have_attribute("data-state", "on")
    waiting = supervisor.locator("#wb-channels tr[data-channel=sms] .waiting")
    before = int(waiting.inner_text())
    total_before = int(supervisor.locator("#wb-waiting b").inner_text())
    screenshot(supervisor, "supervisor-wallboard")

    supervisor.evaluate("window.__notReloaded = true")
    post_signed_sms(live, sender=NEW_SENDER, body="Сайн байна уу, тэтгэмжийн талаар асуух гэсэн юм")
    expect(waiting).to_have_text(str(before + 1))
    expect(supervisor.locator("#wb-waiting b")).to_have_text(str(total_before + 1))
    assert supervisor.evaluate("window.__notReloaded") is True
    screenshot(supervisor, "supervisor-wallboard-after-sms")


def test_casework_and_call_centre_pages_draw_their_charts(live, sign_in, screenshot):
    supervisor = sign_in("supervisor")
    supervisor.goto("/console/supervisor/casework/")
    expect(supervisor.locator("#table-status table")).to_be_visible()
    expect(supervisor.locator("#chart-status")).to_be_visible()
    assert supervisor.evaluate("Chart.getChart('chart-status') !== undefined")
    assert supervisor.evaluate("Chart.getChart('chart-weekly') !== undefined")
    screenshot(supervisor, "supervisor-casework")

    supervisor.locator("#table-status a.drill").first.click()
    supervisor.wait_for_load_state("networkidle")
    expect(supervisor.locator("#unit-trail")).to_be_visible()
    expect(supervisor.locator("#table-status table")).to_be_visible()
    screenshot(supervisor, "supervisor-casework-drilldown")

    supervisor.goto("/console/supervisor/callcentre/")
    expect(supervisor.locator("#table-response")).to_be_visible()
    screenshot(supervisor, "supervisor-callcentre")

    with supervisor.expect_download() as download:
        supervisor.locator("#table-status, #table-volume").first.get_by_role(
            "link", name="XLSX"
        ).click()
    assert download.value.suggested_filename.endswith(".xlsx")
