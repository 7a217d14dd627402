"""The agent's pages: inbox, conversation, reply through the outbox, notes, resolve, identify."""

from __future__ import annotations

import pytest
from django.urls import reverse

from channels_app.models import CallbackRequest, OutboundMessage
from crm.models import Contact, Conversation, Identity, Interaction

pytestmark = pytest.mark.django_db


def test_the_login_page_is_where_settings_send_anonymous_staff(client):
    response = client.get("/console/inbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")
    page = client.get("/console/login/")
    assert "Sign in to the desk console" in page.content.decode() or page.status_code == 200


def test_signing_in_lands_agents_on_the_inbox_and_workers_on_their_worklist(client, staff):
    staff.agent.set_password("pw-12345-x")
    staff.agent.save()
    response = client.post(
        "/console/login/", {"username": "agent", "password": "pw-12345-x"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("console:inbox")
    worker = signed_client(staff.local7)
    assert worker.get("/console/").url == reverse("console:worklist")


def signed_client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    c.cookies["django_language"] = "en"
    return c


def test_the_inbox_lists_new_messages_with_unread_counts_and_filters(
    staff, signed_in, citizen, sms_from
):
    sms_from("+97699112233", "Асрамжийн газарт орох хүсэлт")
    sms_from("+97699112233", "Хэзээ хариу өгөх вэ?")
    page = signed_in(staff.agent).get("/console/inbox/").content.decode()
    assert "Дорж Цэрэн" in page
    assert "Хэзээ хариу өгөх вэ?" in page
    assert 'class="badge unread"' in page and ">2</span>" in page
    only_telegram = signed_in(staff.agent).get("/console/inbox/list/?channel=telegram")
    assert "Дорж Цэрэн" not in only_telegram.content.decode()
    assert "No conversations match these filters" in only_telegram.content.decode()
    assert only_telegram["HX-Replace-Url"] == "/console/inbox/?channel=telegram"


def test_social_workers_are_sent_to_their_worklist_instead_of_the_inbox(staff, signed_in):
    response = signed_in(staff.local7).get("/console/inbox/")
    assert response.status_code == 302 and response.url == reverse("console:worklist")


def test_opening_a_conversation_shows_the_whole_timeline_and_marks_it_read(
    staff, signed_in, citizen, sms_from, console_data
):
    conversation = sms_from("+97699112233", "Сайн байна уу").conversation
    Interaction.objects.create(
        contact=citizen, channel="voice", direction="in", kind="call", body="Дуудлага"
    )
    page = signed_in(staff.agent).get(f"/console/conversations/{conversation.pk}/")
    text = page.content.decode()
    assert "Сайн байна уу" in text and "Дуудлага" in text
    assert "Сайн байна уу. Танд юугаар туслах вэ?" in text  # canned answer, citizen's language
    assert Conversation.objects.get(pk=conversation.pk).unread_count == 0


def test_a_reply_goes_out_through_the_outbox_on_the_citizens_channel(
    staff, signed_in, citizen, sms_from
):
    conversation = sms_from("+97699112233").conversation
    response = signed_in(staff.agent).post(
        f"/console/conversations/{conversation.pk}/reply/",
        {"body": "Бид тантай холбогдоно"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "timeline-changed"
    message = OutboundMessage.objects.get()
    assert (message.channel, message.address, message.body) == (
        "sms",
        "+97699112233",
        "Бид тантай холбогдоно",
    )
    assert message.author == staff.agent
    assert Conversation.objects.get(pk=conversation.pk).assignee == staff.agent


def test_an_empty_reply_is_refused_inside_the_reply_box(staff, signed_in, citizen, sms_from):
    conversation = sms_from("+97699112233").conversation
    response = signed_in(staff.agent).post(
        f"/console/conversations/{conversation.pk}/reply/", {"body": "  "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert 'id="reply-form"' in response.content.decode()
    assert "Write a reply before sending." in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_reply_to_an_opted_out_number_is_kept_but_not_sent(staff, signed_in, citizen, sms_from):
    from django.utils import timezone

    conversation = sms_from("+97699112233").conversation
    Identity.objects.filter(value="+97699112233").update(opted_out_at=timezone.now())
    signed_in(staff.agent).post(
        f"/console/conversations/{conversation.pk}/reply/", {"body": "Сайн уу"}
    )
    assert OutboundMessage.objects.get().status == OutboundMessage.Status.SUPPRESSED


def test_notes_stay_internal_and_resolving_needs_a_wrap_up_code(
    staff, signed_in, citizen, sms_from, console_data
):
    conversation = sms_from("+97699112233").conversation
    agent = signed_in(staff.agent)
    agent.post(f"/console/conversations/{conversation.pk}/note/", {"body": "Охин нь залгана"})
    note = Interaction.objects.get(kind="note")
    assert note.direction == "internal" and not OutboundMessage.objects.exists()

    refused = agent.post(f"/console/conversations/{conversation.pk}/manage/", {"action": "resolve"})
    assert refused.status_code == 400
    assert "Choose a wrap-up code" in refused.content.decode()
    agent.post(
        f"/console/conversations/{conversation.pk}/manage/",
        {"action": "resolve", "wrap_up_code": "answered"},
    )
    conversation.refresh_from_db()
    assert (conversation.status, conversation.wrap_up_code) == ("resolved", "answered")


def test_an_unknown_texter_is_identified_through_the_registry_and_linked(
    staff, signed_in, sms_from, registry_person
):
    conversation = sms_from("+97688000999", "Ээждээ асрамж хүсье").conversation
    assert not conversation.contact.is_identified
    agent = signed_in(staff.agent)
    results = agent.get(f"/console/conversations/{conversation.pk}/identify/?q=УБ47051821")
    assert "Look up УБ47051821 in the state registry" in results.content.decode()
    response = agent.post(
        "/console/citizens/registry/",
        {"national_id": "УБ47051821", "conversation": conversation.pk},
        follow=True,
    )
    assert "identified as Мягмар Батцэцэг" in response.content.decode()
    survivor = Contact.objects.get(identities__value="УБ47051821")
    assert survivor.identities.filter(value="+97688000999").exists()
    live = Conversation.objects.get(contact=survivor, channel="sms")
    assert live.interactions.filter(body="Ээждээ асрамж хүсье").exists()


def test_duplicates_are_merged_from_the_citizens_page(staff, signed_in, citizen):
    from tests.factories import ContactFactory

    duplicate = ContactFactory(
        first_name="Цэрэн", last_name="Дорж", address_unit=citizen.address_unit
    )
    agent = signed_in(staff.agent)
    page = agent.get(f"/console/citizens/{citizen.pk}/?dup=Дорж")
    assert f'name="duplicate" value="{duplicate.pk}"' in page.content.decode()
    agent.post(f"/console/citizens/{citizen.pk}/merge/", {"duplicate": duplicate.pk})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == citizen


def test_callbacks_are_listed_soonest_first_and_closed_with_a_note(staff, signed_in, citizen):
    import datetime as dt

    from django.utils import timezone

    callback = CallbackRequest.objects.create(
        contact=citizen,
        channel="sms",
        phone="+97699112233",
        due_at=timezone.now() - dt.timedelta(hours=1),
    )
    agent = signed_in(staff.agent)
    page = agent.get("/console/callbacks/").content.decode()
    assert "+97699112233" in page and "overdue" in page
    refused = agent.post(f"/console/callbacks/{callback.pk}/", {"action": "done", "note": ""})
    assert refused.status_code == 400
    assert '<p class="error" role="alert">Write a short note' in refused.content.decode()
    agent.post(f"/console/callbacks/{callback.pk}/", {"action": "done", "note": "Ярьсан"})
    callback.refresh_from_db()
    assert callback.status == "done"
    assert Interaction.objects.filter(contact=citizen, kind="call", body="Ярьсан").exists()


def test_the_console_speaks_mongolian_and_russian(staff, signed_in):
    client = signed_in(staff.agent)
    client.post("/console/language/", {"language": "mn", "next": "/console/inbox/"})
    assert "Ирсэн харилцаа" in client.get("/console/inbox/").content.decode()
    client.post("/console/language/", {"language": "ru", "next": "/console/inbox/"})
    assert "Входящие" in client.get("/console/inbox/").content.decode()
    staff.agent.refresh_from_db()
    assert staff.agent.language == "ru"


def test_the_outbox_shows_what_citizens_were_sent_and_its_status(
    staff, signed_in, citizen, sms_from
):
    conversation = sms_from("+97699112233").conversation
    agent = signed_in(staff.agent)
    agent.post(f"/console/conversations/{conversation.pk}/reply/", {"body": "Маргааш залгана"})
    page = agent.get("/console/outbox/").content.decode()
    message = OutboundMessage.objects.get()
    assert f'data-outbound="{message.pk}"' in page
    assert "Маргааш залгана" in page and "+97699112233" in page
    assert message.get_status_display() in page
    empty = agent.get("/console/outbox/?status=failed").content.decode()
    assert "No messages sent yet." in empty


def test_a_supervisor_reassigns_from_the_conversation_page(staff, signed_in, citizen, sms_from):
    from tests.factories import UserFactory

    other = UserFactory(username="other.agent", role="agent", unit=staff.agent.unit)
    conversation = sms_from("+97699112233").conversation
    page = signed_in(staff.supervisor).get(f"/console/conversations/{conversation.pk}/")
    assert 'id="assignee-select"' in page.content.decode()
    assert 'id="assignee-select"' not in (
        signed_in(staff.agent).get(f"/console/conversations/{conversation.pk}/").content.decode()
    )
    signed_in(staff.supervisor).post(
        f"/console/conversations/{conversation.pk}/manage/",
        {"action": "assign", "assignee": other.pk},
    )
    assert Conversation.objects.get(pk=conversation.pk).assignee == other


def test_care_home_staff_cannot_use_the_registry(signed_in, carehome_staff, registry_person):
    response = signed_in(carehome_staff).post(
        "/console/citizens/registry/", {"national_id": "УБ47051821"}, follow=True
    )
    assert "cannot look people up in the state registry" in response.content.decode()
    assert not Contact.objects.filter(identities__value="УБ47051821").exists()
