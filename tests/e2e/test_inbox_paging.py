"""A long inbox in a real browser: older pages through htmx, live updates keep the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import post_signed_sms

pytestmark = pytest.mark.browser


def _sender(i: int) -> str:
    return f"+9769955{i:04d}"


def test_an_agent_pages_back_through_a_long_inbox_and_returns_to_the_newest(live, sign_in):
    for i in range(30):
        post_signed_sms(live, sender=_sender(i), body=f"paging check {i:02d}")
    agent = sign_in("agent.tuya")
    agent.goto("/console/inbox/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")
    rows = agent.locator("#conversations tbody tr")
    expect(rows).to_have_count(25)
    expect(agent.locator("#conversations")).to_contain_text("paging check 29")
    expect(agent.locator("#conversations")).not_to_contain_text("paging check 04")

    # Older conversations: the list swaps in place and the address bar keeps the page.
    agent.locator("#inbox-older").click()
    expect(agent.locator("#conversations")).to_contain_text("paging check 04")
    expect(agent.locator("#conversations")).not_to_contain_text("paging check 29")
    expect(agent).to_have_url(re.compile(r"/console/inbox/\?.*before="))
    expect(agent.locator("#inbox-newest")).to_be_visible()

    # A new message while reading an older page: the page refreshes but stays where it is.
    post_signed_sms(live, sender=_sender(99), body="paging check new")
    agent.wait_for_load_state("networkidle")
    expect(agent.locator("#conversations")).to_contain_text("paging check 04")
    expect(agent.locator("#conversations")).not_to_contain_text("paging check new")

    # Back to the newest: the new message is on top.
    agent.locator("#inbox-newest").click()
    expect(rows.first).to_contain_text("paging check new")
    expect(agent.locator("#inbox-newest")).to_have_count(0)

    # A filter change from an older page starts again at the newest of the filtered list.
    agent.locator("#inbox-older").click()
    expect(agent.locator("#inbox-newest")).to_be_visible()
    agent.select_option("#f-channel", "sms")
    expect(rows.first).to_contain_text("paging check new")
    expect(agent).to_have_url(re.compile(r"/console/inbox/\?(?!.*before=).*channel=sms"))
