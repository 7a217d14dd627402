"""The ticket's QR code and the public status page it opens."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image

from cases.status_links import case_status_link_revoke

from .conftest import API, sign_in


def decode_qr(data_uri: str) -> str:
    """What a phone camera reads off the printed QR code."""
    assert data_uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


def test_the_tickets_qr_opens_the_status_and_nothing_personal(device, dorj, submitted_case, client):
    case = submitted_case(dorj)
    sign_in(device, dorj, "УБ45031512")
    response = device.post(API + f"cases/{case.number}/ticket/")
    assert response.status_code == 200
    ticket = response.json()
    assert ticket["number"] == case.number
    url = decode_qr(ticket["qr"])
    assert url == ticket["status_url"]
    path = urlsplit(url).path
    assert path.startswith("/status/")

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html
    assert "Submitted" in html
    assert "reviewing your request" in html  # the next step
    for personal in ("Дорж", "Цэрэн", "УБ45031512", "45031512", "+97699112233", "2233"):
        assert personal not in html
    assert page["Cache-Control"] == "no-store"

    # A reprinted ticket carries the same link.
    again = device.post(API + f"cases/{case.number}/ticket/").json()
    assert again["status_url"] == url


def test_a_revoked_or_made_up_token_shows_nothing(device, dorj, submitted_case, client):
    case = submitted_case(dorj)
    sign_in(device, dorj, "УБ45031512")
    path = urlsplit(device.post(API + f"cases/{case.number}/ticket/").json()["status_url"]).path
    case_status_link_revoke(case=case)
    for probe in (path, "/status/made-up-token/", f"/status/{case.number}/"):
        page = client.get(probe)
        assert page.status_code == 404
        assert case.number not in page.content.decode()


def test_the_status_page_is_rate_limited(client, settings, db):
    settings.STATUS_PAGE_THROTTLE_RATE = "3/min"
    codes = [client.get("/status/whatever/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_a_case_number_alone_opens_no_ticket(device, dorj, oyun, submitted_case):
    oyun_case = submitted_case(oyun)
    sign_in(device, dorj, "УБ45031512")
    assert device.post(API + f"cases/{oyun_case.number}/ticket/").status_code == 404
    device.session_key = ""
    assert device.post(API + f"cases/{oyun_case.number}/ticket/").status_code == 403
