"""Photos and documents a citizen sends to the agents show in the console."""

from django.test import Client

from crm.models import Conversation, Interaction
from tests.factories import UserFactory

from .transport import JPEG, fixture, post_update


def test_a_photo_for_the_agents_is_kept_and_shown_in_the_conversation(
    client, telegram, staff, tree
):
    telegram.files["AgACAgIAAxkBAAIBoGdMq1_large"] = JPEG
    post_update(client, fixture("photo"))
    # The largest size is fetched with getFile, then downloaded.
    assert telegram.sent("getFile")[0]["file_id"] == "AgACAgIAAxkBAAIBoGdMq1_large"
    inbound = Interaction.objects.get(direction="in")
    assert inbound.body == "📎 photo.jpg: Иргэний үнэмлэх"
    [attachment] = inbound.payload["attachments"]

    agent = Client()
    agent.force_login(staff.agent)
    conversation = Conversation.objects.get()
    page = agent.get(f"/console/conversations/{conversation.pk}/").content.decode()
    assert attachment["url"] in page and "Иргэний үнэмлэх" in page
    response = agent.get(attachment["url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG


def test_the_file_is_not_shown_outside_the_citizens_jurisdiction(client, telegram, tree):
    telegram.files["AgACAgIAAxkBAAIBoGdMq1_large"] = JPEG
    post_update(client, fixture("photo"))
    contact = Interaction.objects.get(direction="in").contact
    contact.address_unit = tree.k7
    contact.save()
    url = Interaction.objects.get(direction="in").payload["attachments"][0]["url"]
    other_khoroo = UserFactory(username="local.s1", role="local_worker", unit=tree.s1)
    stranger = Client()
    stranger.force_login(other_khoroo)
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # signed out: to the login page
