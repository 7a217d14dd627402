"""A citizen at a kiosk (portrait 1080x1920): public catalogue, sign-in with a code, a case's
status and queue place, a ticket, and the idle wipe that leaves nothing behind."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NATIONAL_ID = "УБ42110824"  # Гомбо Долгор in the demo data: a submitted placement case
PHONE = "+97688114455"


@pytest.fixture(scope="module")
def pairing_code(live) -> str:
    printed = live.manage(
        "kiosk_register", "--unit", "MN/UB/SKH/07", "--name", "Khoroo 7 hall", "--json"
    )
    return json.loads(printed.strip().splitlines()[-1])["pairing_code"]


@pytest.fixture
def kiosk(live, browser):
    context = browser.new_context(
        base_url=live.base_url, viewport={"width": 1080, "height": 1920}, locale="mn-MN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def tap(page, text: str) -> None:
    """Type on the page's own keypad, one key at a time, as a finger would."""
    for char in text:
        page.locator(
            ".screen:not([hidden]) .keypad .key", has_text=re.compile(f"^{re.escape(char)}$")
        ).first.click()


def code_sent_to(live, phone: str) -> str:
    body = live.query(
        "from channels_app.models import OutboundMessage\n"
        f"result = OutboundMessage.objects.filter(address={phone!r}, template_code='kiosk_code')"
        ".order_by('-id').values_list('body', flat=True).first()"
    )
    return re.search(r"\b(\d{6})\b", body).group(1)


def session_states(live) -> list:
    return live.query(
        "from kiosk.models import KioskSession\n"
        "result = list(KioskSession.objects.order_by('id').values_list('state', 'end_reason'))"
    )


def pair(page, code: str, screenshot) -> None:
    page.goto("/kiosk/")
    expect(page.locator("#screen-pair")).to_be_visible()
    tap(page, code)
    screenshot(page, "kiosk-01-pairing")
    page.click("#pair-submit")
    expect(page.locator("#screen-start")).to_be_visible()


def sign_in(live, page) -> None:
    page.click("[data-go=identify]")
    tap(page, NATIONAL_ID)
    expect(page.locator("#id-entry")).to_have_text("УБ••••••24")  # never the whole ID
    page.click("#identify-submit")
    expect(page.locator("#code-sent-to")).to_contain_text("4455")
    tap(page, code_sent_to(live, PHONE))
    page.click("#code-submit")
    expect(page.locator("#greeting")).to_contain_text("Долгор")


def test_public_information_then_a_citizens_cases_ticket_and_finish(
    live, kiosk, pairing_code, screenshot
):
    page = kiosk
    pair(page, pairing_code, screenshot)
    # Storage holds the device token and nothing else.
    assert page.evaluate("Object.keys(localStorage)") == ["kiosk.deviceToken"]
    screenshot(page, "kiosk-02-start")

    page.click("[data-go=catalogue]")
    expect(page.locator("#service-list button").first).to_be_visible()
    screenshot(page, "kiosk-03-catalogue")
    page.locator("#service-list button", has_text="асрамж").first.click()
    expect(page.locator("#service-documents li").first).to_be_visible()
    screenshot(page, "kiosk-04-service-documents")
    page.click("#screen-service [data-go=catalogue]")
    page.click("#screen-catalogue [data-go=start]")
    page.click("[data-go=where]")
    expect(page.locator("#where-offices")).to_contain_text("7-р хороо")
    screenshot(page, "kiosk-05-where-to-go")
    page.click("#screen-where [data-go=start]")

    page.click("#toggle-contrast")
    expect(page.locator("body")).to_have_class(re.compile("high-contrast"))
    page.click("#toggle-contrast")

    page.click("[data-go=identify]")
    tap(page, NATIONAL_ID)
    screenshot(page, "kiosk-06-identify-keypad")
    page.click("#identify-submit")
    expect(page.locator("#screen-code")).to_be_visible()
    screenshot(page, "kiosk-07-code")
    tap(page, code_sent_to(live, PHONE))
    page.click("#code-submit")
    expect(page.locator("#greeting")).to_contain_text("Долгор")
    expect(page.locator("#masked-id")).to_contain_text("УБ••••••24")
    screenshot(page, "kiosk-08-signed-in")

    page.click("#screen-home [data-go=cases]")
    card = page.locator(".case", has_text="Хүсэлт илгээсэн").first
    expect(card).to_be_visible()
    # Her place among the district's waiting requests (the demo has others before her).
    expect(card.locator(".queue")).to_have_text(re.compile(r"\d+\s*$"))
    screenshot(page, "kiosk-09-my-requests")
    card.get_by_role("button").click()
    expect(page.locator("#ticket-qr")).to_have_attribute("src", re.compile("^data:image/png"))
    screenshot(page, "kiosk-10-ticket")
    page.emulate_media(media="print")
    screenshot(page, "kiosk-11-ticket-print")
    page.emulate_media(media="screen")
    assert page.evaluate("Object.keys(localStorage)") == ["kiosk.deviceToken"]
    assert page.evaluate("Object.keys(sessionStorage)") == []

    page.click("#screen-ticket [data-go=cases]")
    page.click("#screen-cases [data-go=home]")
    page.click("#go-apply")
    page.locator("#apply-services button").first.click()
    page.click("#apply-self")
    screenshot(page, "kiosk-12-application-consent")
    page.click("#apply-submit")
    expect(page.locator("#error")).to_contain_text("зөвшөөрөл")  # nothing without consent
    page.check("#apply-consent")
    page.click("#apply-submit")
    expect(page.locator("#message-text")).to_contain_text(re.compile(r"\d{4}-\d{6}"))
    screenshot(page, "kiosk-13-application-registered")
    number = re.search(r"\d{4}-\d{6}", page.locator("#message-text").inner_text()).group(0)
    origin = live.query(
        "from cases.models import Case\n"
        f"result = Case.objects.filter(number={number!r}).values_list('status', 'origin_channel')"
        ".get()"
    )
    assert origin == ["draft", "kiosk"]

    page.click("#finish")
    expect(page.locator("#screen-start")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Долгор")
    assert session_states(live)[-1] == ["ended", "finished"]


def test_idle_asks_then_wipes_the_screen_the_session_and_the_history(
    live, kiosk, pairing_code, screenshot
):
    page = kiosk
    page.clock.install()
    page.goto("/kiosk/")
    if page.locator("#screen-pair").is_visible():  # a fresh browser context has no token
        code = json.loads(
            live.manage("kiosk_register", "--unit", "MN/UB/SKH/07", "--name", "Idle", "--json")
            .strip()
            .splitlines()[-1]
        )["pairing_code"]
        tap(page, code)
        page.click("#pair-submit")
    expect(page.locator("#screen-start")).to_be_visible()
    # The same page in landscape, with larger text.
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.click("#toggle-large")
    screenshot(page, "kiosk-16-landscape-large-text")
    page.click("#toggle-large")
    page.set_viewport_size({"width": 1080, "height": 1920})
    sign_in(live, page)
    page.click("#screen-home [data-go=cases]")
    expect(page.locator(".case").first).to_be_visible()

    page.clock.run_for(61_000)
    expect(page.locator("#idle-dialog")).to_be_visible()
    expect(page.locator("#idle-countdown")).to_contain_text("1")
    screenshot(page, "kiosk-14-are-you-still-there")
    page.clock.run_for(16_000)
    expect(page.locator("#screen-start")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Долгор")
    assert session_states(live)[-1] == ["ended", "idle"]
    screenshot(page, "kiosk-15-wiped")

    page.go_back()
    page.wait_for_load_state()
    assert "Долгор" not in page.content()
    assert "Хүсэлт илгээсэн" not in page.content()
