"""The console websocket: live events reach only the staff who may see them."""

from __future__ import annotations

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from config.asgi import application
from crm.models import Identity
from tests.factories import ContactFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_thread_connections():
    """The ORM ran in sync_to_async's worker thread: close its connection before teardown."""
    yield
    await sync_to_async(connections.close_all)()


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def connect(user=None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if user is not None:
        cookie = await sync_to_async(_session_cookie)(user)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/console/", headers=headers)
    connected, _ = await communicator.connect()
    if connected:
        hello = await communicator.receive_json_from()
        assert hello == {"kind": "hello", "user": user.pk}
    communicator.connected = connected
    return communicator


async def drain(communicator, timeout: float = 1.0) -> list[dict]:
    """Every event that arrives until the socket is quiet."""
    events = [await communicator.receive_json_from(timeout=3)]
    while not await communicator.receive_nothing(timeout=timeout):
        events.append(await communicator.receive_json_from())
    return events


async def test_anonymous_visitors_cannot_open_the_socket(db):
    communicator = await connect(None)
    assert not communicator.connected


async def test_a_message_reaches_staff_of_the_citizens_area_and_nobody_else(staff, sms_from):
    def citizen_of_khoroo_7():
        contact = ContactFactory(address_unit=staff.local7.unit)
        Identity.objects.create(contact=contact, scheme="phone", value="+97699445566")

    await sync_to_async(citizen_of_khoroo_7)()
    agent = await connect(staff.agent)
    local7 = await connect(staff.local7)
    local12 = await connect(staff.local12)
    other_district = await connect(staff.district_sbd)

    result = await sync_to_async(sms_from)("+97699445566", "Тусламж хэрэгтэй байна")

    for communicator in (agent, local7):
        event = await communicator.receive_json_from(timeout=3)
        assert event["kind"] == "message"
        assert event["conversation"] == result.conversation.pk
        assert event["contact"] == result.contact.pk
    for communicator in (local12, other_district):
        assert await communicator.receive_nothing(timeout=0.3)
    for communicator in (agent, local7, local12, other_district):
        await communicator.disconnect()


async def test_an_unknown_sender_is_seen_by_country_level_agents_only(staff, sms_from):
    agent = await connect(staff.agent)
    district = await connect(staff.district)
    await sync_to_async(sms_from)("+97688000111", "hello")
    assert (await agent.receive_json_from(timeout=3))["kind"] == "message"
    assert await district.receive_nothing(timeout=0.3)
    await agent.disconnect()
    await district.disconnect()


async def test_case_changes_reach_the_district_and_the_care_home_that_may_see_them(
    staff, placement, carehome, carehome_staff
):
    from cases.services import case_create
    from cases.transitions import case_apply_action
    from tests.cases.conftest import attach_placement_papers, complete_draft

    def submitted_case():
        beneficiary = ContactFactory(address_unit=staff.local7.unit, sex="F")
        case = case_create(
            beneficiary=beneficiary, service=placement, actor=staff.local7, origin_channel="sms"
        )
        case = case_apply_action(case=complete_draft(case), action="submit", actor=staff.local7)
        attach_placement_papers(case)
        return case

    case = await sync_to_async(submitted_case)()
    district = await connect(staff.district)
    other_district = await connect(staff.district_sbd)
    home = await connect(carehome_staff)

    await sync_to_async(case_apply_action)(
        case=case, action="allocate", actor=staff.district, payload={"facility": carehome.pk}
    )
    for communicator in (district, home):
        events = await drain(communicator)
        assert {"kind": "case", "case": case.pk, "status": "allocated"}.items() <= next(
            e for e in events if e["kind"] == "case"
        ).items()
    # The other district sees neither the case nor the citizen's timeline.
    assert await other_district.receive_nothing(timeout=0.3)
    for communicator in (district, other_district, home):
        await communicator.disconnect()


async def test_a_callback_request_is_pushed_to_the_agents_who_see_the_citizen(staff):
    from channels_app.inbound import inbound_handle

    def citizen_of_khoroo_7():
        contact = ContactFactory(address_unit=staff.local7.unit)
        Identity.objects.create(contact=contact, scheme="phone", value="+97699445577")
        return contact

    contact = await sync_to_async(citizen_of_khoroo_7)()
    agent = await connect(staff.agent)
    other_district = await connect(staff.district_sbd)
    await sync_to_async(inbound_handle)(
        channel="sms", address="+97699445577", body="ЗАЛГА", provider_message_id="SMcb0001"
    )
    events = await drain(agent)
    assert {"kind": "callback", "contact": contact.pk}.items() <= next(
        e for e in events if e["kind"] == "callback"
    ).items()
    assert await other_district.receive_nothing(timeout=0.3)
    await agent.disconnect()
    await other_district.disconnect()
