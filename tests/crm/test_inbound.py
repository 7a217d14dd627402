import pytest
from django.db import IntegrityError, transaction

from crm import services
from crm.events import interaction_recorded
from crm.models import Contact, Conversation, Identity, Interaction


def record(body="Сайн байна уу", sid="SM0001", phone="+97699112233"):
    return services.inbound_message_record(
        channel="sms",
        scheme=Identity.Scheme.PHONE,
        address=phone,
        body=body,
        provider_message_id=sid,
        payload={"MessageSid": sid},
    )


@pytest.mark.django_db(transaction=True)
def test_unknown_sender_becomes_an_unidentified_contact_with_an_open_conversation():
    result = record()
    assert result.created
    assert not result.contact.is_identified
    assert result.contact.identities.get().value == "+97699112233"
    assert result.conversation.status == Conversation.Status.OPEN
    assert result.conversation.unread_count == 1
    assert result.interaction.body == "Сайн байна уу"


@pytest.mark.django_db(transaction=True)
def test_a_retried_provider_message_id_changes_nothing():
    first = record()
    again = record(body="something else")
    assert again.duplicate
    assert again.interaction.pk == first.interaction.pk
    assert Interaction.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Conversation.objects.get().unread_count == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_for_one_provider_id():
    first = record()
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(
            contact=first.contact, channel="sms", direction="in", provider_message_id="SM0001"
        )


@pytest.mark.django_db
def test_same_provider_id_on_another_channel_is_a_different_message():
    record(sid="42")
    other = services.inbound_message_record(
        channel="telegram",
        scheme=Identity.Scheme.TELEGRAM,
        address="5551234",
        body="hi",
        provider_message_id="42",
    )
    assert other.created
    assert Interaction.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_next_message_joins_the_live_conversation_and_is_announced_after_commit():
    seen = []

    def listener(sender, **kwargs):
        seen.append(kwargs["interaction_id"])

    interaction_recorded.connect(listener)
    try:
        first = record(sid="SM1")
        second = record(sid="SM2", body="Та надад залгана уу")
    finally:
        interaction_recorded.disconnect(listener)
    assert second.conversation.pk == first.conversation.pk
    assert Conversation.objects.get().unread_count == 2
    assert seen == [first.interaction.pk, second.interaction.pk]


@pytest.mark.django_db
def test_a_resolved_conversation_is_not_reopened_a_new_one_starts():
    first = record(sid="SM1")
    Conversation.objects.filter(pk=first.conversation.pk).update(status="resolved")
    second = record(sid="SM2")
    assert second.conversation.pk != first.conversation.pk
