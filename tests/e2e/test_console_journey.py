"""One citizen's request through every desk, in a real browser against a live server.

An unknown number texts the hotline; the message appears in the agent's open inbox without a
reload; the agent identifies her through the registry, replies (the reply reaches the outbox),
and opens a care-home request; the khoroo worker completes and submits it; the district worker
allocates it with the decree and letter attached; the care home accepts and admits her; and
every status SMS sent to her shows on her timeline.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import post_signed_sms

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% e2e scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PHONE = "+97699007711"
NATIONAL_ID = "УБ47051821"  # in the demo registry, not yet known to the CRM


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(PDF)
    return str(path)


def upload_missing_documents(page, pdf: str, missing: int) -> None:
    """Attach a scan to each of the `missing` documents the page marks as missing, in one
    upload: the drop zone gives each file the next missing document's type."""
    # Counting is not waiting: read the table only once the page has loaded all of it, or a
    # half-parsed page under load reads as "nothing missing".
    page.wait_for_load_state("load")
    expect(page.locator('#documents tr[data-state="missing"]')).to_have_count(missing)
    page.set_input_files(
        "#doc-picker",
        [
            {"name": f"scan-{n}.pdf", "mimeType": "application/pdf", "buffer": PDF}
            for n in range(missing)
        ],
    )
    # The page builds one row per file (with its type and date) as the files arrive.
    expect(page.locator("#doc-queue .doc-item")).to_have_count(missing)
    dates = page.locator("#doc-queue input[type=date]")
    for n in range(dates.count()):
        dates.nth(n).fill(_today())
    page.locator("#doc-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_contain_text("Uploaded")
    expect(page.locator('#documents tr[data-state="missing"]')).to_have_count(0)


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


# Steps the console asks to confirm in a dialog before it sends them.
CONFIRMED = {"accept", "admit", "cancel", "decline", "discharge"}


def act(page, action: str) -> None:
    page.locator(f"button[data-action={action}]").click()
    if action in CONFIRMED:
        page.locator("#confirm-dialog[open] #confirm-yes").click()
    page.wait_for_load_state("networkidle")


def test_a_request_from_sms_to_admission(live, sign_in, screenshot, pdf):
    # 1. The agent's inbox is open; an SMS arrives and shows up without a reload.
    agent = sign_in("agent.bolor")
    agent.goto("/console/inbox/")
    expect(agent.locator("#live-status")).to_have_attribute("data-state", "on")
    post_signed_sms(live, sender=PHONE, body="Сайн байна уу, ээждээ асрамжийн газар хүсье")
    row = agent.locator("#conversations tr", has_text="ээждээ асрамжийн газар")
    expect(row).to_be_visible()
    expect(row).to_contain_text("9900 7711")  # the number as people there write it
    expect(row).to_contain_text("not identified yet")
    screenshot(agent, "inbox")

    # 2. The conversation: identify the texter through the state registry.
    row.get_by_role("link", name="Open").click()
    expect(agent.locator("h1")).to_contain_text("Conversation with")
    conversation_url = agent.url
    agent.fill("#identify-q", NATIONAL_ID)
    agent.get_by_role("button", name=f"Look up {NATIONAL_ID} in the state registry").click()
    expect(agent.locator(".messages")).to_contain_text("identified as Мягмар Батцэцэг")

    # 3. The reply goes out through the outbox on SMS.
    agent.select_option("#canned", label="Case opened")
    agent.fill("#reply-body", "Сайн байна уу. Таны хүсэлтийг бүртгэж байна.")
    agent.get_by_role("button", name="Send reply").click()
    expect(agent.locator("#reply-form")).to_contain_text("Reply sent")
    expect(agent.locator("#timeline")).to_contain_text("Таны хүсэлтийг бүртгэж байна.")
    outbox = live.query(
        "from channels_app.models import OutboundMessage as M\n"
        "result = list(M.objects.filter(purpose='reply').values_list('channel', 'address', "
        "'body', 'status'))"
    )
    assert len(outbox) == 1
    channel, address, body, status = outbox[0]
    assert (channel, address, body) == (
        "sms",
        PHONE,
        "Сайн байна уу. Таны хүсэлтийг бүртгэж байна.",
    )
    assert status in ("sent", "delivered")  # the local outbox transport took it

    # 4. The agent opens a care-home request on her behalf.
    agent.get_by_role("link", name="Open a case for this citizen").click()
    service = agent.locator("#service option", has_text=re.compile("care-home", re.I)).first
    agent.select_option("#service", service.get_attribute("value"))
    agent.fill("#reason", "Ганцаараа амьдардаг, өөрийгөө асрах чадваргүй болсон.")
    screenshot(agent, "open-case-form")
    agent.get_by_role("button", name="Open the case as a draft").click()
    message = agent.locator(".messages")
    expect(message).to_contain_text("opened as a draft")
    number = re.search(r"\d{4}-\d{6}", message.inner_text()).group(0)
    expect(agent.locator("#cases")).to_contain_text(number)
    screenshot(agent, "conversation")

    # 5. The khoroo-7 worker finds it among the saved drafts, completes and submits it.
    local = sign_in("local.skh07")
    local.goto("/console/cases/?status=draft")
    local.get_by_role("link", name=number).click()
    act(local, "submit")  # too early: the page says what is missing, at the button
    expect(local.locator("#action-submit .error")).to_contain_text("Missing")
    local.select_option("#has_disability", "no")
    local.get_by_role("button", name="Save (draft)").click()
    expect(local.locator(".messages")).to_contain_text("Saved")
    # A care-home request without a disability needs four papers, none attached yet.
    upload_missing_documents(local, pdf, missing=4)
    # The case as stored now, read afresh: every paper is there before the submit is pressed.
    local.reload()
    expect(local.locator('#documents tr[data-state="missing"]')).to_have_count(0)
    act(local, "submit")
    expect(local.locator("#case-status")).to_have_text("Submitted", timeout=15_000)
    screenshot(local, "local-worker-case")

    # 6. The district worker decides: decree and letter attached, a home with free beds.
    district = sign_in("district.skh")
    district.goto("/console/cases/?status=submitted")
    screenshot(district, "district-worklist")
    district.locator("tr", has_text=number).get_by_role("link", name="Decide").click()
    expect(district.locator("h1")).to_contain_text(f"Decide on request {number}")
    district.set_input_files(
        "#doc-picker",
        [
            {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
            for kind in ("governor_decree", "welfare_letter")
        ],
    )
    for n, kind in enumerate(("governor_decree", "welfare_letter")):
        district.locator("#doc-queue select").nth(n).select_option(kind)
    district.locator("#doc-submit").click()
    expect(district.locator(".messages")).to_contain_text("Uploaded 2 files")
    expect(district.locator("h1")).to_contain_text("Decide on request")  # still deciding
    choice = district.locator("#action-allocate tr", has_text="Сонгинохайрхан")
    expect(choice).to_contain_text("Accredited")
    choice.locator("input[type=radio]").check()
    screenshot(district, "district-decision")
    act(district, "allocate")
    expect(district.locator("#case-status")).to_have_text("Allocated")

    # 7. The care home accepts and admits her.
    home = sign_in("care.skh")
    home.goto("/console/cases/?status=allocated")
    home.get_by_role("link", name=number).click()
    act(home, "accept")
    expect(home.locator("#case-status")).to_have_text("Waitlisted")
    home.fill("#admit-room", "12")
    home.fill("#admit-bed", "3")
    act(home, "admit")
    expect(home.locator("#case-status")).to_have_text("In service")

    # 8. Her timeline, as the agent sees it, holds the SMS sent to her at each step.
    agent.goto("/console/outbox/")
    outbox_rows = agent.locator("#outbox tbody tr", has_text=PHONE)
    # The automatic acknowledgement of her first SMS, the reply and four status notifications.
    expect(outbox_rows).to_have_count(6)
    expect(outbox_rows.filter(has_text="Answer to a keyword")).to_have_count(1)
    expect(outbox_rows.filter(has_text="Таны хүсэлтийг бүртгэж байна.")).to_contain_text("Reply")
    screenshot(agent, "outbox")
    agent.goto(conversation_url)
    notifications = agent.locator("#timeline .entry-out", has_text=number)
    expect(notifications).to_have_count(4)  # submitted, allocated, waitlisted, in service

    # 9. The same page in Mongolian, through the language switcher.
    agent.select_option("#lang", "mn")
    expect(agent.locator("#timeline").locator("xpath=..").locator("h2")).to_have_text(
        "Түүх (бүх суваг)"
    )
    screenshot(agent, "conversation-mn")
