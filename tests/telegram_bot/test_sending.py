"""Sending on Telegram: notifications, agents' replies, the Bot API's errors and limits."""

import itertools

import pytest
from django.test import TestCase

from cases.events import case_transitioned
from cases.models import CaseEvent
from cases.services import case_create
from cases.transitions import case_apply_action
from channels_app.delivery import outbox_claim, outbox_deliver
from channels_app.models import OutboundMessage
from channels_app.outbound import message_send, reply_send
from crm.models import Identity
from telegram_bot.channel import scheduler
from telegram_bot.ratelimit import SendScheduler
from tests.factories import ContactFactory, IdentityFactory

from .transport import api_error, fixture, post_update, text_update

USER = "5120458830"


@pytest.fixture
def telegram_citizen(tree):
    """Known only on Telegram (no phone): Telegram is their only channel."""
    contact = ContactFactory(preferred_language="mn", address_unit=tree.k7)
    IdentityFactory(contact=contact, scheme="telegram", value=USER)
    return contact


def test_a_case_status_change_is_notified_on_telegram_once_with_a_button(
    telegram, telegram_citizen, placement, staff
):
    case = case_create(
        beneficiary=telegram_citizen, service=placement, actor=None, origin_channel="telegram"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        case_apply_action(
            case=case, action="cancel", actor=staff.district, payload={"reason": "Давхардсан"}
        )
    event = CaseEvent.objects.get(case=case, action="cancel")
    with TestCase.captureOnCommitCallbacks(execute=True):
        case_transitioned.send(  # the event seen twice decides nothing new
            sender=type(case),
            case_id=case.pk,
            event_id=event.pk,
            action="cancel",
            from_status="draft",
            to_status="cancelled",
            actor_id=staff.district.pk,
        )
    message = OutboundMessage.objects.get()
    assert (message.channel, message.address, message.status) == ("telegram", USER, "delivered")
    assert message.transport == "telegram" and message.provider_message_id.startswith("tg:")
    sent = telegram.sent()
    assert len(sent) == 1 and case.number in sent[0]["text"]
    button = sent[0]["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "Хүсэлтийг харах", "callback_data": f"case:{case.number}"}


def test_the_embedded_default_keeps_sends_in_the_local_outbox(
    settings, telegram_citizen, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_BOT_TOKEN = ""
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(contact=telegram_citizen, channel="telegram", body="Сайн байна уу")
    message.refresh_from_db()
    assert (message.status, message.transport) == ("delivered", "local")


def test_an_agents_reply_reaches_the_citizen_through_send_message(client, telegram, staff):
    post_update(client, text_update("Тэтгэмж хэзээ орох вэ?"))
    conversation = Identity.objects.get(value=USER).contact.conversations.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        reply = reply_send(conversation=conversation, author=staff.agent, body="Маргааш орно.")
    reply.refresh_from_db()
    assert reply.status == "delivered" and reply.conversation == conversation
    assert telegram.sent()[-1] == {"chat_id": int(USER), "text": "Маргааш орно."}


def deliver_one(contact, body="Мэдэгдэл"):
    with TestCase.captureOnCommitCallbacks(execute=False):
        message = message_send(contact=contact, channel="telegram", body=body)
    report = outbox_deliver(outbox_claim(first_id=message.pk, limit=1))
    message.refresh_from_db()
    return message, report


def test_429_waits_retry_after_and_pauses_the_chat(telegram, telegram_citizen):
    telegram.fail_next(api_error(429, "Too Many Requests: retry after 7", retry_after=7))
    message, report = deliver_one(telegram_citizen)
    assert message.status == "pending" and message.error_code == "429"
    assert report.retry_in[message.pk] == 7
    assert message.attempts == 1
    # The scheduler holds the chat for those seconds.
    assert 6 < scheduler().next_free(USER) <= 7


def test_403_blocked_marks_the_identity_opted_out_and_start_opts_back_in(
    client, telegram, telegram_citizen
):
    telegram.fail_next(api_error(403, "Forbidden: bot was blocked by the user"))
    message, _report = deliver_one(telegram_citizen)
    assert message.status == "failed" and message.error_code == "403"
    identity = Identity.objects.get(scheme="telegram", value=USER)
    assert identity.opted_out_at is not None
    # Nothing more is sent while blocked: the next message is suppressed, not tried.
    calls = len(telegram.calls)
    later, _ = deliver_one(telegram_citizen)
    assert later.status == "suppressed" and len(telegram.calls) == calls

    post_update(client, fixture("start"))
    identity.refresh_from_db()
    assert identity.opted_out_at is None


def test_my_chat_member_kicked_opts_out(client, telegram, telegram_citizen):
    post_update(client, fixture("my_chat_member_kicked"))
    assert Identity.objects.get(scheme="telegram", value=USER).opted_out_at is not None
    assert not telegram.calls


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def assert_within_limits(sends: list[tuple[float, str]]) -> None:
    times = sorted(t for t, _chat in sends)
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] >= 1.0 - 1e-9, "more than 30 in a second"
    by_chat: dict[str, list[float]] = {}
    for t, chat in sends:
        by_chat.setdefault(chat, []).append(t)
    for chat_times in by_chat.values():
        chat_times.sort()
        for a, b in itertools.pairwise(chat_times):
            assert b - a >= 1.0 - 1e-9, "two messages to one chat within a second"


def test_rate_limits_hold_for_100_to_one_chat_and_1000_to_many():
    clock = FakeClock()
    scheduler = SendScheduler(per_second=30, clock=clock, sleep=clock.sleep)
    sends: list[tuple[float, str]] = []
    start = clock.now
    # Interleaved as an outbox batch would be: one busy chat among a thousand others.
    order = [("busy", i) for i in range(100)] + [(f"chat{i}", i) for i in range(1000)]
    order.sort(key=lambda item: item[1])
    for chat, _ in order:
        # Reserved all at once (as a batch is), each sent when its slot comes.
        sends.append((scheduler.reserve(chat), chat))
    assert_within_limits(sends)
    busy = sorted(t for t, chat in sends if chat == "busy")
    assert busy[-1] - busy[0] >= 99  # one a second
    # 1,100 messages at 30 a second take about 37 s; nobody waited for the busy chat.
    others = sorted(t for t, chat in sends if chat != "busy")
    assert others[-1] - start < 40


def test_a_slot_too_far_ahead_is_deferred_not_waited_for():
    clock = FakeClock()
    scheduler = SendScheduler(per_second=30, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        assert scheduler.wait_for("busy", max_delay=10)
        clock.now += 0.01
    assert scheduler.wait_for("busy", max_delay=0.5) is False
    assert 0.5 < scheduler.next_free("busy") <= 1.0


def test_the_outbox_defers_a_burst_to_one_chat_without_counting_attempts(
    telegram, telegram_citizen, settings
):
    settings.TELEGRAM_MAX_WAIT_SECONDS = 0
    first, _ = deliver_one(telegram_citizen, "Нэг")
    second, report = deliver_one(telegram_citizen, "Хоёр")
    assert first.status == "delivered"
    assert second.status == "pending" and second.attempts == 0 and second.error_code == ""
    assert 0 < report.retry_in[second.pk] <= 1 and second.next_attempt_at is not None
    assert [m["text"] for m in telegram.sent()] == ["Нэг"]


def test_notifications_follow_a_citizen_who_identified_on_telegram(
    client, telegram, placement, staff, tree
):
    """Phone and Telegram both known: Telegram is their preferred channel once they identify."""
    from tests.factories import IdentityFactory as Identities

    owner = ContactFactory(preferred_language="mn", address_unit=tree.k7, preferred_channel="")
    Identities(contact=owner, scheme="phone", value="+97699112233")
    post_update(client, fixture("contact"))  # a Telegram-only contact, merged into the owner
    owner.refresh_from_db()
    assert owner.preferred_channel == "telegram"
    case = case_create(beneficiary=owner, service=placement, actor=None, origin_channel="sms")
    with TestCase.captureOnCommitCallbacks(execute=True):
        case_apply_action(
            case=case, action="cancel", actor=staff.district, payload={"reason": "Давхардсан"}
        )
    notice = OutboundMessage.objects.get(template_code="case_status_cancelled")
    assert (notice.channel, notice.address) == ("telegram", USER)
