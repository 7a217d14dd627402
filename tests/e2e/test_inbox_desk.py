"""The inbox as an agent works it in a real browser: search, the split view and its keyboard
shortcuts, waiting times that tick, a bulk action, an alert when a conversation is given to
them, and the same pages on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import post_signed_sms

pytestmark = pytest.mark.browser

# Replaces the browser's Notification and audio playback with recorders, so the test sees
# what the page asked for (the permission itself is granted on the context).
RECORD_ALERTS = """
(() => {
  window.__notices = [];
  window.__sounds = 0;
  class Recorder {
    constructor(title, options) {
      window.__notices.push({ title: title, body: (options || {}).body || "" });
      this.onclick = null;
    }
    static get permission() { return "granted"; }
    static requestPermission() { return Promise.resolve("granted"); }
  }
  window.Notification = Recorder;
  HTMLMediaElement.prototype.play = function () { window.__sounds += 1; return Promise.resolve(); };
})();
"""


# Refreshes the list as a live event would and presses "j" in the same task as the swap.
RACE_A_REFRESH = """
() => {
  window.__samePage = true;
  document.body.addEventListener("htmx:afterSwap", function once(e) {
    if (!e.detail.target || e.detail.target.id !== "inbox-list") return;
    document.body.removeEventListener("htmx:afterSwap", once);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
  });
  htmx.trigger(document.body, "labels-changed");
}
"""


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width} px wide in a {viewport} px window"


def test_search_the_split_view_and_keyboard_shortcuts(live, sign_in, screenshot):
    for i, sender in enumerate(("+97699330001", "+97699330002", "+97699330003")):
        post_signed_sms(live, sender=sender, body=f"deskcheck асуулт {i}")
    # Back in the queue (auto-assignment may have given them to anyone): "a" then takes one.
    live.query(
        "from crm.models import Conversation\n"
        "result = Conversation.objects.filter(interactions__body__startswith='deskcheck')"
        ".update(assignee=None)"
    )
    agent = sign_in("agent.tuya")
    agent.goto("/console/inbox/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")

    # Search: by message words, then by a phone number typed the national way.
    agent.fill("#inbox-q", "deskcheck")
    rows = agent.locator("#conversations tbody tr")
    expect(rows).to_have_count(3)
    expect(agent).to_have_url(re.compile(r"/console/inbox/\?q=deskcheck"))
    agent.fill("#inbox-q", "9933 0002")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("deskcheck асуулт 1")
    expect(rows.first).to_contain_text("9933 0002")  # national phone format
    screenshot(agent, "inbox-search")
    agent.fill("#inbox-q", "deskcheck")
    expect(rows).to_have_count(3)

    # Waiting times tick in the page, second by second, without a reload.
    waiting = rows.first.locator(".waiting")
    first = waiting.inner_text()
    expect(waiting).not_to_have_text(first, timeout=5_000)
    assert "waiting" in waiting.inner_text()

    # j opens the newest conversation beside the list; the address follows.
    agent.locator("body").click(position={"x": 5, "y": 200})
    agent.keyboard.press("j")
    heading = agent.locator("#conv-pane h1")
    expect(heading).to_contain_text("Conversation with 9933 0003")
    expect(rows.nth(0)).to_have_class(re.compile("selected"))
    expect(agent).to_have_url(re.compile(r"/console/conversations/\d+/\?q=deskcheck"))
    expect(agent.locator("#thread")).to_contain_text("deskcheck асуулт 2")
    agent.keyboard.press("j")
    expect(heading).to_contain_text("9933 0002")
    agent.keyboard.press("ArrowDown")
    expect(heading).to_contain_text("9933 0001")
    agent.keyboard.press("k")
    expect(heading).to_contain_text("9933 0002")

    # A key pressed the moment a live refresh swaps the list in (before htmx has processed the
    # new rows) still opens the conversation beside the list, without reloading the page.
    agent.evaluate(RACE_A_REFRESH)
    expect(heading).to_contain_text("9933 0001")
    assert agent.evaluate("window.__samePage === true"), "the page reloaded"
    agent.keyboard.press("k")
    expect(heading).to_contain_text("9933 0002")
    second_url = agent.url

    # r: the reply box; typing there types (no shortcut fires); Esc leaves it. (First let the
    # pane's own requests finish: a swap landing after the key would take the focus with it.)
    agent.wait_for_function("() => !document.querySelector('.htmx-request')")
    agent.keyboard.press("r")
    expect(agent.locator("#reply-body")).to_be_focused()
    agent.keyboard.type("jak")
    expect(agent.locator("#reply-body")).to_have_value("jak")
    expect(heading).to_contain_text("9933 0002")
    agent.fill("#reply-body", "")
    agent.keyboard.press("Escape")
    expect(agent.locator("#reply-body")).not_to_be_focused()

    # ?: the shortcut help.
    agent.keyboard.press("?")
    expect(agent.locator("#shortcuts")).to_be_visible()
    screenshot(agent, "inbox-shortcuts")
    agent.keyboard.press("Escape")
    expect(agent.locator("#shortcuts")).to_be_hidden()

    # The whole timeline is a tab away from the conversation's own messages.
    expect(agent.locator("#timeline")).to_be_hidden()
    agent.get_by_role("tab", name="Timeline (all channels)").click()
    expect(agent.locator("#timeline")).to_be_visible()
    agent.get_by_role("tab", name="This conversation").click()

    # a: assign to me.
    agent.keyboard.press("a")
    expect(agent.locator(".messages")).to_contain_text("You now work on this conversation.")
    expect(agent.locator("#conv-pane h1")).to_contain_text("9933 0002")
    # A reload shows the same conversation beside the same search.
    agent.reload()
    expect(agent.locator("#conv-pane h1")).to_contain_text("9933 0002")
    expect(agent.locator("#inbox-q")).to_have_value("deskcheck")
    expect(agent.locator("#conversations tbody tr")).to_have_count(3)
    assert agent.url.split("?")[0] == second_url.split("?")[0]
    screenshot(agent, "inbox-split-view")

    # e: resolve, choosing how it ended.
    agent.locator("body").click(position={"x": 5, "y": 200})
    agent.keyboard.press("e")
    expect(agent.locator("#wrap-up")).to_be_focused()
    agent.select_option("#wrap-up", index=1)
    agent.locator("#manage").get_by_role("button", name="Resolve").click()
    expect(agent.locator(".messages")).to_contain_text("Conversation resolved.")


def test_a_bulk_action_on_ticked_conversations(live, sign_in, screenshot):
    for sender in ("+97699440001", "+97699440002", "+97699440003"):
        post_signed_sms(live, sender=sender, body="bulkcheck тусламж хэрэгтэй")
    supervisor = sign_in("supervisor")
    supervisor.goto("/console/inbox/?q=bulkcheck")
    rows = supervisor.locator("#conversations tbody tr")
    expect(rows).to_have_count(3)
    bar = supervisor.locator("#bulk-form")
    expect(bar).to_be_hidden()
    rows.nth(0).locator("input[name=ids]").check()
    rows.nth(1).locator("input[name=ids]").check()
    expect(bar).to_be_visible()
    expect(supervisor.locator("#bulk-count")).to_have_text("2 ticked")
    supervisor.select_option("#bulk-wrap-up", index=1)
    screenshot(supervisor, "inbox-bulk")
    bar.get_by_role("button", name="Resolve").click()
    expect(supervisor.locator(".messages")).to_contain_text("2 conversations resolved.")
    expect(rows).to_have_count(1)  # the open list keeps only the third
    resolved = live.query(
        "from crm.models import Conversation\n"
        "result = Conversation.objects.filter(interactions__body='bulkcheck тусламж хэрэгтэй',"
        " status='resolved').distinct().count()"
    )
    assert resolved == 2


def test_an_agent_hears_and_sees_a_conversation_given_to_them(live, sign_in, screenshot):
    post_signed_sms(live, sender="+97699550001", body="alertcheck надад туслаач")
    agent = sign_in("agent.bolor")
    agent.context.grant_permissions(["notifications"], origin=live.base_url)
    agent.context.add_init_script(RECORD_ALERTS)
    agent.goto("/console/inbox/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")
    expect(agent.locator("#alerts-toggle")).to_be_checked()  # on until the agent turns it off

    supervisor = sign_in("supervisor")
    supervisor.goto("/console/inbox/?q=alertcheck&status=all")
    supervisor.locator("#conversations a.conv-link").first.click()
    agent_id = live.query(
        "from crm.models import User\nresult = User.objects.get(username='agent.bolor').pk"
    )
    supervisor.select_option("#assignee-select", str(agent_id))
    supervisor.get_by_role("button", name="Reassign").click()
    expect(supervisor.locator(".messages")).to_contain_text("Conversation handed to")

    toast = agent.locator(".toast", has_text="Conversation given to you")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("+97699550001")
    screenshot(agent, "inbox-assigned-alert")
    agent.wait_for_function("window.__notices.length === 1")
    notice = agent.evaluate("window.__notices[0]")
    assert notice["title"] == "Conversation given to you"
    assert "+97699550001" in notice["body"]
    assert agent.evaluate("window.__sounds") == 1

    # Turned off: the toast still comes, no sound, no desktop notice.
    agent.locator("#alerts-toggle").uncheck()
    supervisor.select_option("#assignee-select", "")
    supervisor.get_by_role("button", name="Reassign").click()
    expect(supervisor.locator(".messages")).to_contain_text("put back in the queue")
    expect(toast).to_have_count(0, timeout=15_000)  # the first toast went away
    supervisor.select_option("#assignee-select", str(agent_id))
    supervisor.get_by_role("button", name="Reassign").click()
    expect(toast).to_be_visible()
    assert agent.evaluate("window.__notices.length") == 1
    assert agent.evaluate("window.__sounds") == 1


def test_the_inbox_and_a_conversation_fit_a_390_px_phone(live, sign_in, screenshot):
    post_signed_sms(live, sender="+97699660001", body="phonecheck " + "урт мессеж " * 20)
    agent = sign_in("agent.tuya")
    agent.set_viewport_size({"width": 390, "height": 844})
    agent.goto("/console/inbox/?q=phonecheck")
    expect(agent.locator("#conversations tbody tr")).to_have_count(1)
    expect(agent.locator("#conv-pane")).to_be_hidden()  # the list alone
    _no_sideways_scroll(agent)
    screenshot(agent, "inbox-390")

    agent.locator("#conversations a.conv-link").first.click()
    expect(agent.locator("#conv-pane h1")).to_contain_text("Conversation with")
    expect(agent.locator("#inbox-filters")).to_be_hidden()  # the conversation alone
    back = agent.locator("#back-to-list")
    expect(back).to_be_visible()
    _no_sideways_scroll(agent)
    screenshot(agent, "conversation-390")
    agent.reload()
    expect(agent.locator("#conv-pane h1")).to_contain_text("Conversation with")
    _no_sideways_scroll(agent)

    back.click()
    expect(agent.locator("#conversations tbody tr")).to_have_count(1)
    expect(agent).to_have_url(re.compile(r"/console/inbox/\?q=phonecheck"))
