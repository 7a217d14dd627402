"""A citizen texts "call me back": the task appears in the agents' queue live and is closed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import post_signed_sms

pytestmark = pytest.mark.browser

PHONE = "+97699112233"  # Дорж Цэрэн in the demo data


def test_a_callback_request_reaches_the_queue_and_is_closed_with_a_note(live, sign_in):
    agent = sign_in("agent.tuya")
    agent.goto("/console/callbacks/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")
    post_signed_sms(live, sender=PHONE, body="ЗАЛГА")
    row = agent.locator("#callback-list tr", has_text=PHONE)
    expect(row).to_be_visible()  # no reload: the queue refreshed itself
    expect(row).to_contain_text("Дорж Цэрэн")
    row.locator("input[name=note]").fill("Асрамжийн хүсэлтийн талаар тайлбарласан")
    row.get_by_role("button", name="Called back").click()
    expect(agent.locator(".messages")).to_contain_text("Callback closed")
    expect(agent.locator("#callback-list tr", has_text=PHONE)).to_have_count(0)
    agent.get_by_role("link", name="Done").click()
    expect(agent.locator("#callback-list tr", has_text=PHONE)).to_contain_text(
        "Асрамжийн хүсэлтийн талаар тайлбарласан"
    )
