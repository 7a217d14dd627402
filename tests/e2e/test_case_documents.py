"""A case's papers in a real browser: several files chosen and dropped at once, each previewed
(a PDF's first page drawn by pdf.js, images as thumbnails) and typed before one upload; then
a call-centre agent sees that the health certificate is there but cannot open it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _scan(text: str, fmt: str, colour: str) -> bytes:
    """A one-page scan-like file: a PDF pdf.js can draw, or a PNG/JPEG photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 160), fill=colour)
    draw.text((60, 200), text, fill="black")
    for y in range(260, 740, 40):
        draw.line((60, y, 540, y), fill="#999999", width=3)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def _draft_of(live, username: str) -> tuple[int, str]:
    """A new draft placement request of the worker's khoroo, with no papers yet."""
    return tuple(
        live.query(
            "import datetime as dt\n"
            "from cases.models import Service\n"
            "from cases.services import case_create\n"
            "from crm.models import Contact, User\n"
            f"user = User.objects.get(username={username!r})\n"
            "person = Contact.objects.create(first_name='Оюун', last_name='Гэрэл', sex='F', "
            "birth_date=dt.date(1948, 3, 2), address_unit=user.unit, is_identified=True)\n"
            "case = case_create(beneficiary=person, "
            "service=Service.objects.get(code='care-home-placement'), actor=user, "
            "origin_channel='walk_in', reason_for_care='Lives alone')\n"
            "result = [case.pk, case.number]"
        )
    )


def test_several_papers_previewed_and_uploaded_at_once_then_an_agent_is_refused_one(
    live, sign_in, screenshot
):
    case_id, number = _draft_of(live, "local.skh07")
    local = sign_in("local.skh07")
    errors: list[str] = []
    local.on(
        "console",
        lambda m: (
            errors.append(f"{m.text} at {m.location.get('url')}") if m.type == "error" else None
        ),
    )
    local.goto(f"/console/cases/{case_id}/")
    expect(local.locator("h1")).to_contain_text(number)
    expect(local.locator("#doc-drop")).to_contain_text("Drop scans or photos here")

    # Three files chosen at once: the doctor's certificate (PDF), the ID card (JPEG), the
    # application (PNG); each gets a preview and a document type of its own.
    local.set_input_files(
        "#doc-picker",
        [
            {
                "name": "doctor.pdf",
                "mimeType": "application/pdf",
                "buffer": _scan("Health certificate", "PDF", "#1f5fa8"),
            },
            {
                "name": "id-card.jpg",
                "mimeType": "image/jpeg",
                "buffer": _scan("ID card", "JPEG", "#b3261e"),
            },
            {
                "name": "application.png",
                "mimeType": "image/png",
                "buffer": _scan("Application", "PNG", "#1b7a3d"),
            },
        ],
    )
    # And one dropped onto the zone that is not a paper at all: refused before it is sent.
    local.evaluate(
        """() => {
          const carrier = new DataTransfer();
          carrier.items.add(new File(["just notes"], "notes.txt", {type: "text/plain"}));
          document.getElementById("doc-drop").dispatchEvent(
            new DragEvent("drop", {dataTransfer: carrier, bubbles: true, cancelable: true}));
        }"""
    )
    queue = local.locator("#doc-queue .doc-item")
    expect(queue).to_have_count(3)
    expect(local.locator("#doc-refused-local")).to_contain_text("notes.txt")
    expect(local.locator("#doc-refused-local")).to_contain_text("Not a PDF, JPEG or PNG")
    pdf_item = queue.filter(has_text="doctor.pdf")
    expect(pdf_item.locator(".doc-thumb[data-rendered=pdf] canvas")).to_be_visible()
    expect(
        queue.filter(has_text="id-card.jpg").locator(".doc-thumb[data-rendered=image] img")
    ).to_be_visible()
    expect(queue.filter(has_text="application.png").locator(".doc-thumb img")).to_be_visible()
    # The PDF's first page was really drawn (the blue header band), not left blank.
    drawn = pdf_item.locator("canvas").evaluate(
        """canvas => {
          const pixel = canvas.getContext("2d").getImageData(canvas.width / 2, 12, 1, 1).data;
          return [pixel[0], pixel[1], pixel[2]];
        }"""
    )
    assert drawn[2] > 120 and drawn[0] < 100, drawn

    pdf_item.locator("select").select_option(
        label="Health certificate (doctor's examination sheet)"
    )
    pdf_item.locator("input[type=date]").fill(dt.date.today().isoformat())
    queue.filter(has_text="id-card.jpg").locator("select").select_option(
        label="Copy of the ID card"
    )
    queue.filter(has_text="application.png").locator("select").select_option(label="Application")
    expect(local.locator("#doc-submit")).to_have_text("Upload 3 files")
    screenshot(local, "case-documents-before-upload")

    local.locator("#doc-submit").click()
    local.wait_for_load_state("networkidle")
    expect(local.locator(".messages")).to_contain_text(
        "Uploaded 3 files: doctor.pdf, id-card.jpg, application.png."
    )
    for code in ("health_certificate", "id_card", "application"):
        expect(local.locator(f'#documents tr[data-document="{code}"]')).to_have_attribute(
            "data-state", "attached"
        )
    health_row = local.locator('#documents tr[data-document="health_certificate"]')
    expect(health_row).to_contain_text("valid until")
    # Uploaded files get thumbnails too; a click shows the file in the preview pane.
    expect(health_row.locator(".doc-thumb[data-rendered=pdf] canvas")).to_be_visible()
    health_row.locator("a.doc-link").click()
    pane = local.locator("#doc-preview-pane")
    expect(pane).to_have_attribute("data-rendered", "pdf")
    expect(pane.locator("canvas")).to_have_count(1)
    local.locator('#documents tr[data-document="id_card"] a.doc-link').click()
    expect(pane).to_have_attribute("data-rendered", "image")
    health_row.locator("a.doc-link").click()
    expect(pane).to_have_attribute("data-rendered", "pdf")
    screenshot(local, "case-documents-uploaded")
    # Nothing of the documents card breaks the page's CSP (htmx's own trigger filter on the
    # case page is not the card's business).
    refused = [e for e in errors if "Content Security Policy" in e and "htmx" not in e]
    assert not refused, errors

    # The call-centre agent sees the certificate is there and valid, but not its content.
    agent = sign_in("agent.bolor")
    agent.goto(f"/console/cases/{case_id}/")
    row = agent.locator('#documents tr[data-document="health_certificate"]')
    expect(row).to_have_attribute("data-state", "attached")
    expect(row).to_contain_text("health document (closed)")
    expect(row.locator("a")).to_have_count(0)
    expect(agent.locator("#health-closed")).to_be_visible()
    expect(agent.locator('#documents tr[data-document="id_card"] a.doc-link')).to_have_count(1)
    screenshot(agent, "case-documents-agent-health-closed")
    document_id = live.query(
        "from cases.models import CaseDocument\n"
        f"result = CaseDocument.objects.get(case_id={case_id}, "
        "required_document__code='health_certificate').pk"
    )
    refused = agent.goto(f"/console/cases/{case_id}/documents/{document_id}/")
    assert refused.status == 403
    expect(agent.locator("#document-closed")).to_contain_text("closed to you")
    screenshot(agent, "case-documents-agent-refused")
