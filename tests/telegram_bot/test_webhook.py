"""The webhook contract: secret checked in constant time, answered fast, retries are no-ops."""

import pytest

from channels_app.models import InboundDelivery
from crm.models import Conversation, Identity, Interaction

from .transport import fixture, post_update


def test_missing_or_wrong_secret_is_refused_and_nothing_is_stored(client, telegram):
    assert post_update(client, fixture("text_message"), secret=None).status_code == 403
    assert post_update(client, fixture("text_message"), secret="wrong").status_code == 403
    assert not InboundDelivery.objects.exists() and not Interaction.objects.exists()


def test_no_secret_configured_refuses_everything(client, telegram, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    assert post_update(client, fixture("text_message"), secret="").status_code == 403
    assert post_update(client, fixture("text_message")).status_code == 403
    assert not InboundDelivery.objects.exists()


def test_only_post(client, telegram):
    assert client.get("/telegram/webhook").status_code == 405


def test_free_text_reaches_the_agents_inbox_once_however_often_telegram_retries(client, telegram):
    update = fixture("text_message")
    for _ in range(3):
        assert post_update(client, update).status_code == 200
    delivery = InboundDelivery.objects.get()
    assert (delivery.channel, delivery.provider_id) == ("telegram", str(update["update_id"]))
    assert delivery.sender == "5120458830" and delivery.status == "processed"
    inbound = Interaction.objects.get(direction="in")
    assert inbound.channel == "telegram" and inbound.body.startswith("Сайн байна уу")
    assert inbound.provider_message_id == str(update["update_id"])
    conversation = Conversation.objects.get()
    assert conversation.channel == "telegram" and conversation.address == "5120458830"
    assert Identity.objects.filter(scheme="telegram", value="5120458830").exists()
    # One acknowledgement, sent with sendMessage to the chat.
    sent = telegram.sent()
    assert len(sent) == 1 and sent[0]["chat_id"] == 5120458830


def test_edited_messages_and_unknown_updates_are_recorded_without_errors(client, telegram):
    edited = fixture("edited_message")
    poll = {
        "update_id": 826514999,
        "poll": {
            "id": "5377643193141559299",
            "question": "Үйлчилгээнд сэтгэл хангалуун байна уу?",
            "options": [{"text": "Тийм", "voter_count": 1}, {"text": "Үгүй", "voter_count": 0}],
            "total_voter_count": 1,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
        },
    }
    assert post_update(client, edited).status_code == 200
    assert post_update(client, poll).status_code == 200
    rows = InboundDelivery.objects.all()
    assert [r.status for r in rows] == ["processed", "processed"]
    assert rows.get(sender="5120458830").payload["edited_message"]["text"].endswith("юм")
    assert not Interaction.objects.exists() and not telegram.calls


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_a_body_that_is_not_an_update_says_so(client, telegram, body):
    response = client.post(
        "/telegram/webhook",
        data=body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=telegram and "tg-webhook-secret-9f4e2a",
    )
    assert response.status_code == 400
