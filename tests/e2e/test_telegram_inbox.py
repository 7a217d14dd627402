"""A Telegram message appears live in the agent's inbox; the agent's reply reaches the outbox."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import TELEGRAM_SECRET

pytestmark = pytest.mark.browser

USER_ID = 6120458831


def post_update(live, text: str, update_id: int) -> None:
    """POST an Update exactly as the Bot API does, with the webhook's secret header."""
    from telegram_bot.management.commands.telegram_simulate import update_payload

    payload = update_payload(
        update_id=update_id, user_id=USER_ID, first_name="Аяна", language="mn", text=text
    )
    request = urllib.request.Request(
        live.base_url + "/telegram/webhook",
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200


def test_a_telegram_message_shows_live_and_the_reply_reaches_the_outbox(live, sign_in, screenshot):
    agent = sign_in("agent.bolor")
    agent.goto("/console/inbox/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")

    post_update(live, "Сайн байна уу, эмээгийнхээ тэтгэмжийн талаар асууя", 70_000_001)
    row = agent.locator("#conversations tr", has_text="эмээгийнхээ тэтгэмжийн")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Telegram")
    screenshot(agent, "telegram-inbox")

    row.get_by_role("link", name="Open").click()
    expect(agent.locator("h1")).to_contain_text("Conversation with")
    agent.fill("#reply-body", "Сайн байна уу. Тэтгэмж сар бүрийн 25-нд орно.")
    agent.get_by_role("button", name="Send reply").click()
    expect(agent.locator("#reply-form")).to_contain_text("Reply sent")
    expect(agent.locator("#timeline")).to_contain_text("сар бүрийн 25-нд")
    screenshot(agent, "telegram-conversation")

    outbox = live.query(
        "from channels_app.models import OutboundMessage as M\n"
        "result = list(M.objects.filter(purpose='reply', author__isnull=False, channel='telegram')"
        ".values_list("
        "'channel', 'address', 'body', 'status', 'transport'))"
    )
    assert [tuple(row) for row in outbox] == [
        (
            "telegram",
            str(USER_ID),
            "Сайн байна уу. Тэтгэмж сар бүрийн 25-нд орно.",
            "delivered",
            "local",  # the embedded default: no bot token, the local outbox takes it
        )
    ]
    agent.goto("/console/outbox/")
    expect(agent.locator("body")).to_contain_text("сар бүрийн 25-нд")
