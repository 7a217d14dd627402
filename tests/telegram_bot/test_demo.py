import pytest

from crm.models import Conversation, Interaction
from demo.context import DemoContext
from telegram_bot import demo
from telegram_bot.models import TelegramChat


@pytest.mark.django_db
def test_demo_seed_puts_one_telegram_conversation_in_the_inbox_and_is_idempotent():
    context = DemoContext()
    demo.seed(context)
    demo.seed(context)
    conversation = Conversation.objects.get()
    assert (conversation.channel, conversation.status) == ("telegram", "open")
    assert Interaction.objects.filter(channel="telegram", direction="in").count() == 1
    assert TelegramChat.objects.get().contact == conversation.contact
    assert any("telegram_simulate" in note for note in context.notes)
