import pytest

from crm import services
from crm.models import Contact, ContactMerge, Conversation, Identity, Interaction
from tests.factories import ContactFactory, IdentityFactory, InteractionFactory


@pytest.mark.django_db
def test_merge_moves_identities_interactions_and_conversations(staff):
    survivor = ContactFactory(first_name="Цэрэн", last_name="Дорж", birth_date=None)
    IdentityFactory(contact=survivor, scheme="national_id", value="УБ45031512")
    duplicate = ContactFactory(
        first_name="", last_name="", is_identified=False, birth_date="1945-03-15"
    )
    IdentityFactory(contact=duplicate, scheme="phone", value="+97699112233")
    kept_conv = Conversation.objects.create(contact=survivor, channel="sms", address="x")
    dup_conv = Conversation.objects.create(contact=duplicate, channel="sms", address="y")
    tg_conv = Conversation.objects.create(contact=duplicate, channel="telegram", address="7")
    InteractionFactory(contact=survivor, conversation=kept_conv)
    InteractionFactory.create_batch(2, contact=duplicate, conversation=dup_conv)
    InteractionFactory(contact=duplicate, conversation=tg_conv, channel="telegram")

    record = services.contact_merge(
        survivor=survivor, duplicate=duplicate, actor=staff.agent, reason="same person"
    )

    assert set(survivor.identities.values_list("value", flat=True)) == {
        "УБ45031512",
        "+97699112233",
    }
    assert Interaction.objects.filter(contact=survivor).count() == 4
    assert not Interaction.objects.filter(contact=duplicate).exists()
    # Two live SMS threads cannot coexist: the duplicate's folds into the survivor's.
    assert kept_conv.interactions.count() == 3
    dup_conv.refresh_from_db()
    assert dup_conv.status == "resolved"
    assert Conversation.objects.get(pk=tg_conv.pk).contact == survivor
    survivor.refresh_from_db()
    assert str(survivor.birth_date) == "1945-03-15"  # filled from the duplicate
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert record.actor == staff.agent
    assert record.snapshot["identities"] == [{"scheme": "phone", "value": "+97699112233"}]
    assert ContactMerge.objects.count() == 1


@pytest.mark.django_db
def test_inbound_from_a_merged_contacts_number_lands_on_the_survivor():
    survivor = ContactFactory()
    duplicate = ContactFactory()
    IdentityFactory(contact=duplicate, value="+97688114455")
    services.contact_merge(survivor=survivor, duplicate=duplicate, actor=None)
    result = services.inbound_message_record(
        channel="sms",
        scheme=Identity.Scheme.PHONE,
        address="+97688114455",
        body="hi",
        provider_message_id="SMx",
    )
    assert result.contact == survivor


@pytest.mark.django_db
def test_merging_twice_or_into_itself_is_refused():
    a, b = ContactFactory(), ContactFactory()
    with pytest.raises(services.ValidationFailed):
        services.contact_merge(survivor=a, duplicate=a, actor=None)
    services.contact_merge(survivor=a, duplicate=b, actor=None)
    with pytest.raises(services.ValidationFailed, match="already merged"):
        services.contact_merge(survivor=a, duplicate=b, actor=None)
    assert Contact.objects.active().count() == 1


@pytest.mark.django_db
def test_identity_add_normalises_and_refuses_a_second_owner():
    a, b = ContactFactory(), ContactFactory()
    identity = services.identity_add(contact=a, scheme="national_id", raw_value="yb 65031512")
    assert identity.value == "УВ65031512"
    # The same number typed with Latin look-alikes is the same identity, not a second one.
    assert (
        services.identity_add(contact=a, scheme="national_id", raw_value="УВ65031512").pk
        == identity.pk
    )
    with pytest.raises(services.ValidationFailed, match="another citizen"):
        services.identity_add(contact=b, scheme="national_id", raw_value="YB65031512")
    with pytest.raises(services.ValidationFailed, match="Cyrillic"):
        services.identity_add(contact=b, scheme="national_id", raw_value="UB65031512")
    assert Identity.objects.count() == 1
