"""The inbox as a working desk: search, labels, bulk actions, waiting times, assignment alerts."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from console import live
from console.models import Label
from crm.models import Conversation, Identity, Role
from tests.factories import ContactFactory, IdentityFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> str:
    return client.get(f"/console/inbox/list/?{query}").content.decode()


@pytest.fixture
def other_district_agent(tree):
    """An agent working only Sükhbaatar district: khoroo 7 (Songinokhairkhan) is not theirs."""
    return UserFactory(username="agent_sbd", role=Role.AGENT, unit=tree.sbd)


def test_search_finds_a_conversation_by_name_phone_id_case_number_and_message_text(
    staff, signed_in, citizen, sms_from, placement
):
    from cases.services import case_create

    IdentityFactory(contact=citizen, scheme=Identity.Scheme.NATIONAL_ID, value="УБ65031512")
    sms_from("+97699112233", "Тэтгэмжийн мөнгө хэзээ орох вэ?")
    case = case_create(
        beneficiary=citizen, service=placement, actor=staff.agent, origin_channel="sms"
    )
    stranger = ContactFactory(first_name="Болд", last_name="Сүх", address_unit=citizen.address_unit)
    IdentityFactory(contact=stranger, scheme=Identity.Scheme.PHONE, value="+97688776655")
    sms_from("+97688776655", "Өөр асуулт байна")
    agent = signed_in(staff.agent)

    for query in ("дорж", "Дорж Цэрэн", "9911 2233", "99112233", "+97699112233", "УБ65031512",
                  case.number, "мөнгө хэзээ"):  # fmt: skip
        page = listed(agent, f"q={query}")
        assert "Дорж Цэрэн" in page, query
        assert "Сүх Болд" not in page, query
    assert "Сүх Болд" in listed(agent, "q=асуулт")
    nothing = listed(agent, "q=огт байхгүй үг")
    assert "Nothing found for" in nothing and "Search resolved conversations too" in nothing
    # The address bar keeps the search.
    response = agent.get("/console/inbox/list/?q=дорж")
    assert response["HX-Replace-Url"] == "/console/inbox/?q=%D0%B4%D0%BE%D1%80%D0%B6"


def test_search_stays_inside_the_agents_area_and_the_chosen_filters(
    staff, signed_in, citizen, sms_from, other_district_agent
):
    sms_from("+97699112233", "Тэтгэмжийн асуулт")
    outsider = signed_in(other_district_agent)
    for query in ("Дорж", "99112233", "Тэтгэмжийн"):
        page = listed(outsider, f"q={query}&status=all")
        assert "Дорж Цэрэн" not in page, query
    agent = signed_in(staff.agent)
    assert "Дорж Цэрэн" in listed(agent, "q=Дорж")
    assert "Дорж Цэрэн" not in listed(agent, "q=Дорж&channel=telegram")


def test_search_pages_through_many_matches_without_repeating_any(staff, signed_in, tree, sms_from):
    for i in range(30):
        contact = ContactFactory(
            first_name=f"Нэр{i:02d}", last_name="Батболд", address_unit=tree.k7
        )
        IdentityFactory(contact=contact, scheme=Identity.Scheme.PHONE, value=f"+9769911{i:04d}")
        # Half match by name only, half by name and message text: both parts of the search.
        sms_from(f"+9769911{i:04d}", "батболд гэдэг хүн" if i % 2 else "Сайн байна уу")
    from console import selectors

    seen: list[int] = []
    after = None
    filters = selectors.InboxFilters(q="батболд")
    while True:
        page = selectors.inbox_page(user=staff.agent, filters=filters, after=after, size=7)
        seen.extend(c.pk for c in page.rows)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == 30 == len(set(seen))
    ordered = Conversation.objects.filter(pk__in=seen).order_by("-last_activity_at", "-id")
    assert seen == [c.pk for c in ordered]


def test_labels_are_put_on_taken_off_and_filter_the_list(staff, signed_in, citizen, sms_from, tree):
    conversation = sms_from("+97699112233").conversation
    urgent = Label.objects.create(name="яаралтай", colour="#b3261e")
    kazakh = Label.objects.create(name="Kazakh desk only", country="KZ")
    agent = signed_in(staff.agent)
    page = agent.get(f"/console/conversations/{conversation.pk}/").content.decode()
    assert "яаралтай" in page and "Kazakh desk only" not in page  # another country's label

    agent.post(f"/console/conversations/{conversation.pk}/labels/", {"label": urgent.pk})
    assert list(conversation.labels.all()) == [urgent]
    assert "Дорж Цэрэн" in listed(agent, f"label={urgent.pk}")
    other = Label.objects.create(name="тэтгэмж")
    assert "Дорж Цэрэн" not in listed(agent, f"label={other.pk}")

    refused = agent.post(
        f"/console/conversations/{conversation.pk}/labels/", {"label": kazakh.pk},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert "Choose a label" in refused.content.decode()
    assert list(conversation.labels.all()) == [urgent]

    agent.post(
        f"/console/conversations/{conversation.pk}/labels/", {"label": urgent.pk, "remove": "1"}
    )
    assert list(conversation.labels.all()) == []


def test_labels_on_a_conversation_outside_the_area_are_refused(
    staff, signed_in, citizen, sms_from, other_district_agent
):
    conversation = sms_from("+97699112233").conversation
    urgent = Label.objects.create(name="яаралтай")
    response = signed_in(other_district_agent).post(
        f"/console/conversations/{conversation.pk}/labels/", {"label": urgent.pk}
    )
    assert response.status_code == 404
    assert not conversation.labels.exists()


def test_bulk_assign_to_me_and_bulk_resolve(staff, signed_in, tree, sms_from, console_data):
    conversations = []
    for i in range(3):
        contact = ContactFactory(first_name=f"Нэр{i}", last_name="Дорж", address_unit=tree.k7)
        IdentityFactory(contact=contact, scheme=Identity.Scheme.PHONE, value=f"+9769922{i:04d}")
        conversations.append(sms_from(f"+9769922{i:04d}").conversation)
    Conversation.objects.update(assignee=None)
    agent = signed_in(staff.agent)
    ids = [c.pk for c in conversations[:2]]
    response = agent.post(
        "/console/inbox/bulk/", {"action": "take", "ids": ids, "back": "q=Дорж"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/console/inbox/?q=%D0%94%D0%BE%D1%80%D0%B6"
    assert "2 conversations assigned to you." in response.content.decode()
    assert set(
        Conversation.objects.filter(assignee=staff.agent).values_list("pk", flat=True)
    ) == set(ids)

    missing_code = agent.post(
        "/console/inbox/bulk/", {"action": "resolve", "ids": ids}, follow=True
    )
    assert "Choose a wrap-up code" in missing_code.content.decode()
    assert not Conversation.objects.filter(status="resolved").exists()
    agent.post(
        "/console/inbox/bulk/", {"action": "resolve", "ids": ids, "wrap_up_code": "answered"}
    )
    resolved = Conversation.objects.filter(status="resolved")
    assert set(resolved.values_list("pk", flat=True)) == set(ids)
    assert set(resolved.values_list("wrap_up_code", flat=True)) == {"answered"}


def test_bulk_actions_check_each_conversation_and_the_actors_rights(
    staff, signed_in, citizen, sms_from, other_district_agent, console_data
):
    conversation = sms_from("+97699112233").conversation
    Conversation.objects.update(assignee=staff.agent)
    # An agent may not hand conversations to someone else: only supervisors reassign.
    colleague = UserFactory(username="agent2", role=Role.AGENT, unit=staff.agent.unit)
    agent2 = signed_in(colleague)
    page = agent2.post(
        "/console/inbox/bulk/",
        {"action": "assign", "ids": [conversation.pk], "assignee": colleague.pk},
        follow=True,
    ).content.decode()
    assert "Only a supervisor can reassign conversations." in page
    # Nor take one a colleague already works on.
    page = agent2.post(
        "/console/inbox/bulk/", {"action": "take", "ids": [conversation.pk]}, follow=True
    ).content.decode()
    assert "already works on this conversation" in page
    assert Conversation.objects.get(pk=conversation.pk).assignee == staff.agent
    # Outside the area a conversation is not even touched.
    page = (
        signed_in(other_district_agent)
        .post(
            "/console/inbox/bulk/",
            {"action": "resolve", "ids": [conversation.pk], "wrap_up_code": "answered"},
            follow=True,
        )
        .content.decode()
    )
    assert "1 ticked conversation is outside your area" in page
    assert Conversation.objects.get(pk=conversation.pk).status == "open"
    # The supervisor may reassign.
    signed_in(staff.supervisor).post(
        "/console/inbox/bulk/",
        {"action": "assign", "ids": [conversation.pk], "assignee": colleague.pk},
    )
    assert Conversation.objects.get(pk=conversation.pk).assignee == colleague


def test_the_list_shows_waiting_time_and_the_first_reply_deadline(
    staff, signed_in, citizen, sms_from
):
    conversation = sms_from("+97699112233", "Хариу хүлээж байна").conversation
    page = listed(signed_in(staff.agent))
    assert 'class="waiting"' in page and "data-since=" in page
    assert "first reply" in page  # nobody answered yet: the office-hours deadline shows
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    assert "first reply overdue" in listed(signed_in(staff.agent))
    signed_in(staff.agent).post(
        f"/console/conversations/{conversation.pk}/reply/", {"body": "Сайн байна уу"}
    )
    answered = listed(signed_in(staff.agent))
    assert "first reply" not in answered and 'class="waiting"' not in answered


def test_an_unnamed_sender_shows_as_a_national_phone_number(staff, signed_in, sms_from):
    sms_from("+97699001122", "Сайн байна уу")
    page = listed(signed_in(staff.agent))
    assert "9900 1122" in page


def test_the_conversation_pane_alone_for_htmx_and_the_banner_goes_once_identified(
    staff, signed_in, sms_from, registry_person, citizen
):
    conversation = sms_from("+97699001122", "Сайн байна уу").conversation
    agent = signed_in(staff.agent)
    pane = agent.get(
        f"/console/conversations/{conversation.pk}/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="conv-pane",
    ).content.decode()
    assert "<html" not in pane and 'id="unidentified-banner"' in pane
    assert 'id="thread"' in pane and 'id="timeline"' in pane
    full = agent.get(f"/console/conversations/{conversation.pk}/").content.decode()
    assert 'id="conversations"' in full and 'class="conv-row selected"' in full
    assert 'id="unidentified-banner"' in full
    agent.post(f"/console/conversations/{conversation.pk}/link/", {"contact": citizen.pk})
    conversation.refresh_from_db()
    page = agent.get(f"/console/conversations/{conversation.pk}/").content.decode()
    assert 'id="unidentified-banner"' not in page


def test_a_conversation_given_to_an_agent_is_announced_to_that_agent_only(
    staff, signed_in, citizen, sms_from, django_capture_on_commit_callbacks
):
    conversation = sms_from("+97699112233").conversation
    Conversation.objects.update(assignee=None)
    colleague = UserFactory(username="agent2", role=Role.AGENT, unit=staff.agent.unit)
    supervisor = signed_in(staff.supervisor)
    with (
        mock.patch.object(live, "push") as push,
        django_capture_on_commit_callbacks(execute=True),
    ):
        supervisor.post(
            f"/console/conversations/{conversation.pk}/manage/",
            {"action": "assign", "assignee": colleague.pk},
        )
    announced = [c for c in push.call_args_list if c.args[1]["kind"] == "assigned"]
    assert len(announced) == 1
    assert announced[0].args[0] == [colleague.pk]
    assert announced[0].args[1]["conversation"] == conversation.pk
    # Taking one yourself is not announced.
    agent = signed_in(staff.agent)
    with (
        mock.patch.object(live, "push") as push,
        django_capture_on_commit_callbacks(execute=True),
    ):
        agent.post(f"/console/conversations/{conversation.pk}/manage/", {"action": "take"})
    assert not [c for c in push.call_args_list if c.args[1]["kind"] == "assigned"]


def test_calls_voice_messages_photos_and_kiosk_visits_look_like_what_they_are(
    staff, signed_in, citizen, sms_from
):
    from crm.models import Interaction

    conversation = sms_from("+97699112233", "Зураг илгээлээ").conversation
    common = {"contact": citizen, "conversation": conversation, "direction": "in"}
    Interaction.objects.create(
        **common, channel="voice", kind="call", body="Call, 95 s.", payload={"duration": 95}
    )
    Interaction.objects.create(
        **common,
        channel="voice",
        kind="voicemail",
        body="Voice message, 12 s.",
        payload={"recording_url": "https://api.twilio.com/x/RE1", "duration": 12,
                 "transcript": "Намайг эргээд залгаарай"},
    )  # fmt: skip
    Interaction.objects.create(
        **common,
        channel="telegram",
        kind="message",
        body="",
        payload={"attachments": [{"name": "photo-AQAD.jpg", "url": "/telegram/files/7/"}]},
    )
    Interaction.objects.create(
        contact=citizen, channel="kiosk", direction="in", kind="kiosk_visit", body="Visit",
        payload={"kiosk_name": "Сонгинохайрхан 7-р хороо"},
    )  # fmt: skip
    page = signed_in(staff.agent).get(f"/console/conversations/{conversation.pk}/").content
    page = page.decode()
    thread = page.split('id="thread"')[1].split('id="panel-history"')[0]
    assert "95 seconds" in thread and "entry-call" in thread
    assert "<audio" in thread and "Намайг эргээд залгаарай" in thread  # player and transcript
    assert '<img class="thumb" src="/telegram/files/7/"' in thread
    assert "Kiosk visit" not in thread  # not part of this conversation: a tab away
    history = page.split('id="panel-history"')[1]
    assert "Kiosk visit: Сонгинохайрхан 7-р хороо" in history


def test_the_list_shows_the_citizens_last_words_not_the_automatic_answer(
    staff, signed_in, sms_from
):
    from channels_app.outbound import message_send

    conversation = sms_from("+97699112233", "Эхний асуулт").conversation
    sms_from("+97699112233", "Тэтгэмжийн асуулт")
    message_send(
        contact=conversation.contact,
        channel="sms",
        body="Таны хүсэлтийг хүлээн авлаа",
        conversation=conversation,
    )
    page = listed(signed_in(staff.agent))
    assert "Тэтгэмжийн асуулт" in page and "Эхний асуулт" not in page
    assert 'class="waiting"' in page  # an automatic answer is no reply from a person
