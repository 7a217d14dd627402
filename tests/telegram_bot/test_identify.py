"""Identification: a shared phone number links the Telegram user to the citizen who owns it."""

from cases.services import case_create
from channels_app.texts import text_render
from crm.models import Contact, ContactMerge, Identity, Interaction
from telegram_bot.models import LinkReview
from tests.factories import ContactFactory, IdentityFactory

from .transport import fixture, post_update, text_update

USER = "5120458830"


def test_status_is_refused_before_identification(client, telegram, placement, tree):
    """A Telegram user is just a chat id until they share their own number: nothing personal."""
    owner = ContactFactory(address_unit=tree.k7)
    IdentityFactory(contact=owner, scheme="phone", value="+97699112233")
    case_create(beneficiary=owner, service=placement, actor=None, origin_channel="sms")
    post_update(client, text_update("Миний хүсэлтүүд"))
    reply = telegram.sent()[-1]
    assert "утасны дугаараа хуваалцана уу" in reply["text"]
    assert reply["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    assert "2026-" not in reply["text"] and owner.last_name not in reply["text"]


def test_a_contact_shared_for_someone_else_is_refused(client, telegram):
    post_update(client, fixture("contact_someone_else"))
    sender = Identity.objects.get(scheme="telegram", value=USER).contact
    assert not sender.identities.filter(scheme="phone").exists()
    assert not Identity.objects.filter(value="+97688123456").exists()
    assert "бусдын дугаарыг биш" in telegram.sent()[-1]["text"]


def test_a_new_number_is_linked_and_personal_answers_follow(client, telegram, placement, tree):
    post_update(client, fixture("contact"))
    telegram_identity = Identity.objects.get(scheme="telegram", value=USER)
    contact = telegram_identity.contact
    assert telegram_identity.verified
    assert contact.identities.filter(scheme="phone", value="+97699112233", verified=True).exists()
    assert contact.preferred_channel == "telegram"
    assert "+97699112233" in telegram.sent()[-1]["text"]


def test_a_shared_phone_merges_the_telegram_only_contact_into_its_owner(
    client, telegram, placement, tree
):
    owner = ContactFactory(first_name="Тэмүүлэн", last_name="Бат", address_unit=tree.k7)
    IdentityFactory(contact=owner, scheme="phone", value="+97699112233")
    case = case_create(beneficiary=owner, service=placement, actor=None, origin_channel="sms")
    post_update(client, fixture("text_message"))  # the Telegram-only contact exists now
    telegram_side = Identity.objects.get(scheme="telegram", value=USER).contact
    assert telegram_side.pk != owner.pk

    post_update(client, fixture("contact"))
    merge = ContactMerge.objects.get()
    assert (merge.survivor_id, merge.merged_id) == (owner.pk, telegram_side.pk)
    assert Identity.objects.get(scheme="telegram", value=USER).contact_id == owner.pk
    # The earlier Telegram message moved to the owner's timeline.
    assert (
        Interaction.objects.filter(contact=owner, channel="telegram", direction="in").count() == 2
    )

    post_update(client, text_update("Миний хүсэлтүүд"))
    assert case.number in telegram.sent()[-1]["text"]


def test_two_known_citizens_are_not_merged_but_flagged_for_an_agent(
    client, telegram, placement, tree
):
    """A relative's phone is often recorded on an elderly person's contact."""
    grandmother = ContactFactory(first_name="Долгор", last_name="Гомбо", address_unit=tree.k7)
    IdentityFactory(contact=grandmother, scheme="phone", value="+97699112233")
    grandson = ContactFactory(first_name="Тэмүүлэн", last_name="Бат")
    IdentityFactory(contact=grandson, scheme="telegram", value=USER)

    post_update(client, fixture("contact"))
    assert not ContactMerge.objects.exists()
    assert not grandson.identities.filter(scheme="phone").exists()
    review = LinkReview.objects.get()
    assert (review.telegram_contact, review.phone_contact) == (grandson, grandmother)
    assert Interaction.objects.filter(contact=grandmother, kind="note").exists()
    # The pair reaches an agent: the note is in the grandson's Telegram conversation.
    note = Interaction.objects.get(contact=grandson, kind="note")
    assert note.conversation.channel == "telegram" and note.conversation.status == "open"
    assert "+97699112233" in note.body
    assert "Ажилтан таны дугаарыг шалгаж" in telegram.sent()[-1]["text"]
    # Still nothing personal for the grandson's Telegram.
    post_update(client, text_update("Миний хүсэлтүүд"))
    assert "утасны дугаараа хуваалцана уу" in telegram.sent()[-1]["text"]
    assert Contact.objects.get(pk=grandson.pk).merged_into_id is None


def test_the_see_the_request_button_follows_the_same_rule(client, telegram, placement, tree):
    from .transport import callback_update

    post_update(client, fixture("contact"))  # identified with a new number
    contact = Identity.objects.get(scheme="telegram", value=USER).contact
    contact.address_unit = tree.k7
    contact.save()
    own = case_create(beneficiary=contact, service=placement, actor=None, origin_channel="sms")
    stranger = ContactFactory(address_unit=tree.k7)
    other = case_create(beneficiary=stranger, service=placement, actor=None, origin_channel="sms")

    post_update(client, callback_update(f"case:{own.number}", int(USER)))
    assert own.number in telegram.sent()[-1]["text"]
    post_update(client, callback_update(f"case:{other.number}", int(USER)))
    answer = telegram.sent()[-1]["text"]
    assert stranger.last_name not in answer and "draft" not in answer.lower()
    assert answer == text_render("unknown_case", "mn", number=other.number)


def test_an_unidentified_user_pressing_the_button_is_asked_to_identify(
    client, telegram, placement, tree
):
    from .transport import callback_update

    owner = ContactFactory(address_unit=tree.k7)
    case = case_create(beneficiary=owner, service=placement, actor=None, origin_channel="sms")
    post_update(client, callback_update(f"case:{case.number}", 5988001122))
    answer = telegram.sent()[-1]
    assert case.number not in answer["text"]
    assert answer["reply_markup"]["keyboard"][0][0]["request_contact"] is True
