"""Erasure asks Twilio to delete its copies: the real SDK, the network replaced at its seam."""

from __future__ import annotations

import logging

import pytest
from twilio.http import HttpClient
from twilio.http.response import Response

from audit import rights
from channels_app.models import OutboundMessage
from crm.models import Interaction
from tests.factories import ContactFactory, InteractionFactory
from tests.sms import twilio_transport as tt

pytestmark = pytest.mark.django_db


class DeletingHttpClient(HttpClient):
    """Answers DELETE as Twilio does: 204, or 404 for a copy Twilio no longer has."""

    def __init__(self, gone: set[str]) -> None:
        super().__init__(logger=logging.getLogger("tests.twilio"), is_async=False)
        self.requests: list[tuple[str, str]] = []
        self.gone = gone

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False) -> Response:  # fmt: skip
        self.requests.append((method, uri))
        sid = uri.rsplit("/", 1)[-1].removesuffix(".json")
        if sid in self.gone:
            return Response(404, '{"code": 20404, "message": "not found", "status": 404}')
        return Response(204, "")


@pytest.fixture
def twilio(settings, monkeypatch):
    import sms.client

    settings.TWILIO_ACCOUNT_SID = tt.ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = tt.AUTH_TOKEN
    transport = DeletingHttpClient(gone={"SM" + "2" * 32})
    monkeypatch.setattr(sms.client, "http_client", transport)
    return transport


def test_erasure_deletes_twilio_copies_of_messages_and_recordings(
    twilio, tree, staff, django_capture_on_commit_callbacks
):
    contact = ContactFactory(address_unit=tree.k7)
    inbound = "SM" + "1" * 32
    InteractionFactory(contact=contact, provider_message_id=inbound)
    InteractionFactory(
        contact=contact,
        channel="voice",
        kind=Interaction.Kind.VOICEMAIL,
        provider_message_id="RE" + "3" * 32,
        payload={"recording_sid": "RE" + "3" * 32, "recording_url": "https://api.twilio.com/x"},
    )
    InteractionFactory(contact=contact, channel="telegram", provider_message_id="tg-77")
    OutboundMessage.objects.create(
        contact=contact, channel="sms", address="+97699112233", body="Сайн байна уу",
        language="mn", purpose="reply", status="delivered", transport="twilio",
        provider_message_id="SM" + "2" * 32,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        counts = rights.contact_erase(contact=contact, actor=staff.admin, reason="Хугацаа")
    assert counts["twilio_copies"] == 3
    deleted = sorted(uri.rsplit("/", 1)[-1] for method, uri in twilio.requests)
    assert [m for m, _ in twilio.requests] == ["DELETE"] * 3
    assert deleted == sorted(
        ["SM" + "1" * 32 + ".json", "SM" + "2" * 32 + ".json", "RE" + "3" * 32 + ".json"]
    )
    assert any("/Recordings/" in uri for _, uri in twilio.requests)
    assert not Interaction.objects.filter(contact=contact, payload__has_key="recording_sid")


def test_without_twilio_credentials_nothing_is_asked(
    settings, tree, staff, django_capture_on_commit_callbacks, monkeypatch
):
    import sms.client

    settings.TWILIO_AUTH_TOKEN = ""
    transport = DeletingHttpClient(gone=set())
    monkeypatch.setattr(sms.client, "http_client", transport)
    contact = ContactFactory(address_unit=tree.k7)
    InteractionFactory(contact=contact, provider_message_id="SM" + "4" * 32)
    with django_capture_on_commit_callbacks(execute=True):
        rights.contact_erase(contact=contact, actor=staff.admin, reason="Хугацаа")
    assert transport.requests == []


def test_erasure_reaches_the_voice_lines_calls(
    twilio, tree, staff, django_capture_on_commit_callbacks
):
    from ivr.models import Call, CallStep
    from tests.factories import IdentityFactory

    contact = ContactFactory(address_unit=tree.k7)
    IdentityFactory(contact=contact, value="+97699001122")
    known = Call.objects.create(
        call_sid="CA" + "5" * 32, direction="in", contact=contact,
        citizen_number="+97699001122", menu_path=["1", "2"],
    )  # fmt: skip
    # A call that never reached a contact is still found by the number it came from.
    Call.objects.create(call_sid="CA" + "6" * 32, direction="in", citizen_number="+97699001122")
    CallStep.objects.create(call_sid=known.call_sid, key="menu:1", response="<Response/>")
    exported = rights.contact_data_export(contact=contact, actor=staff.admin)
    assert len(exported["records"]["calls"]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        counts = rights.contact_erase(contact=contact, actor=staff.admin, reason="Хугацаа")
    assert counts["calls"] == 2
    assert not Call.objects.exclude(citizen_number="").exists()
    assert not CallStep.objects.exists()
    calls_deleted = sorted(uri.rsplit("/", 1)[-1] for _, uri in twilio.requests if "/Calls/" in uri)
    assert calls_deleted == ["CA" + "5" * 32 + ".json", "CA" + "6" * 32 + ".json"]


def test_erasure_ends_and_blanks_the_kiosk_sessions(tree, staff):
    import datetime as dt

    from django.utils import timezone

    from kiosk.models import Kiosk, KioskSession

    contact = ContactFactory(address_unit=tree.k7)
    kiosk = Kiosk.objects.create(name="Хороо 7", unit=tree.k7)
    KioskSession.objects.create(
        kiosk=kiosk,
        key_hash="k" * 64,
        contact=contact,
        national_id_masked="УБ45****12",
        state="active",
        code_hash="c" * 64,
        code_expires_at=timezone.now() + dt.timedelta(minutes=5),
        code_channel="sms",
        code_address="+97699001133",
    )
    assert (
        rights.contact_data_export(contact=contact, actor=staff.admin)["records"]["kiosk_sessions"][
            0
        ]["national_id_masked"]
        == "УБ45****12"
    )
    rights.contact_erase(contact=contact, actor=staff.admin, reason="Хугацаа")
    session = KioskSession.objects.get()
    assert (session.state, session.national_id_masked, session.code_address) == ("ended", "", "")
