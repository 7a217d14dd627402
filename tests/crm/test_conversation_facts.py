"""The inbox facts kept on each conversation: last words, last staff reply, waiting since."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm import services
from crm.conversation_facts import conversation_facts_refresh
from crm.models import Conversation, Identity, Interaction, Role
from tests.factories import ContactFactory, IdentityFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db

PHONE = "+97699112233"
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def inbound(body: str, when: dt.datetime, phone: str = PHONE):
    return services.inbound_message_record(
        channel="sms",
        scheme=Identity.Scheme.PHONE,
        address=phone,
        body=body,
        provider_message_id=f"SM{body}{when.timestamp()}",
        occurred_at=when,
    )


def outbound(conversation: Conversation, body: str, author=None) -> Interaction:
    return services.interaction_record(
        contact=conversation.contact,
        conversation=conversation,
        channel="sms",
        direction=Interaction.Direction.OUTBOUND,
        kind=Interaction.Kind.MESSAGE,
        body=body,
        author=author,
    )


def facts(conversation: Conversation) -> tuple:
    row = Conversation.objects.get(pk=conversation.pk)
    return (row.last_inbound_at, row.last_inbound_body, row.last_staff_reply_at, row.waiting_since)


def as_the_interactions_say(qs):
    """The per-row subqueries the inbox read before the facts were kept on the row."""
    of_conversation = Interaction.objects.filter(conversation=OuterRef("pk"))
    inbound_ = of_conversation.filter(direction=Interaction.Direction.INBOUND)
    staff = of_conversation.filter(direction=Interaction.Direction.OUTBOUND, author__isnull=False)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    unanswered = (
        inbound_.filter(occurred_at__gt=Coalesce(OuterRef("out_at"), Value(epoch)))
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    rows = (
        qs.annotate(
            in_at=Subquery(inbound_.order_by("-occurred_at", "-id").values("occurred_at")[:1]),
            body=Subquery(inbound_.order_by("-occurred_at", "-id").values("body")[:1]),
            out_at=Subquery(staff.order_by("-occurred_at").values("occurred_at")[:1]),
        )
        .annotate(since=Subquery(unanswered))
        .order_by("pk")
    )
    return [(r.pk, r.in_at, r.body or "", r.out_at, r.since) for r in rows]


def as_stored(qs):
    return [
        (r.pk, r.last_inbound_at, r.last_inbound_body, r.last_staff_reply_at, r.waiting_since)
        for r in qs.order_by("pk")
    ]


@pytest.fixture
def agent(db):
    return UserFactory(username="facts_agent", role=Role.AGENT)


def test_a_citizens_messages_and_staff_replies_keep_the_facts_on_the_row(agent):
    first = inbound("Сайн байна уу", at(0))
    conversation = first.conversation
    assert facts(conversation) == (at(0), "Сайн байна уу", None, at(0))
    # The in-memory row the caller gets back says the same.
    assert (conversation.last_inbound_body, conversation.waiting_since) == ("Сайн байна уу", at(0))

    # A second message while waiting: the last words change, the wait started earlier.
    inbound("Хариу өгнө үү", at(5))
    assert facts(conversation) == (at(5), "Хариу өгнө үү", None, at(0))

    # An automatic answer (no author) is no reply from a person: still waiting.
    auto = outbound(conversation, "Таны хүсэлтийг хүлээн авлаа")
    assert facts(conversation) == (at(5), "Хариу өгнө үү", None, at(0))
    assert auto.author_id is None

    # A staff reply: answered, nobody waits.
    reply = outbound(conversation, "Сайн байна уу, туслъя", author=agent)
    assert facts(conversation) == (at(5), "Хариу өгнө үү", reply.occurred_at, None)

    # The citizen writes again: a new wait starts at that message.
    later = reply.occurred_at + dt.timedelta(minutes=1)
    inbound("Баярлалаа", later)
    assert facts(conversation) == (later, "Баярлалаа", reply.occurred_at, later)
    assert as_stored(Conversation.objects.all()) == as_the_interactions_say(
        Conversation.objects.all()
    )


def test_a_message_delivered_late_starts_the_wait_earlier_but_is_not_the_last_word():
    conversation = inbound("хоёр дахь", at(10)).conversation
    inbound("эхний", at(3))
    assert facts(conversation) == (at(10), "хоёр дахь", None, at(3))


def test_a_note_changes_nothing_the_inbox_shows(agent):
    conversation = inbound("асуулт", at(0)).conversation
    services.note_add(
        contact=conversation.contact, author=agent, body="дотоод", conversation=conversation
    )
    assert facts(conversation) == (at(0), "асуулт", None, at(0))


def test_merging_a_duplicates_thread_recomputes_both_threads(agent):
    survivor = ContactFactory(first_name="Цэрэн", last_name="Дорж")
    IdentityFactory(contact=survivor, scheme=Identity.Scheme.PHONE, value=PHONE)
    duplicate = ContactFactory(first_name="", last_name="")
    IdentityFactory(contact=duplicate, scheme=Identity.Scheme.PHONE, value="+97688776655")
    kept = inbound("эхлээд", at(0)).conversation
    reply = outbound(kept, "хариу", author=agent)
    folded = inbound("дараа нь", reply.occurred_at + dt.timedelta(minutes=2), "+97688776655")
    folded = folded.conversation
    assert facts(kept)[3] is None  # answered before the duplicate wrote

    services.contact_merge(survivor=survivor, duplicate=duplicate, actor=agent)

    moved_at = reply.occurred_at + dt.timedelta(minutes=2)
    assert facts(kept) == (moved_at, "дараа нь", reply.occurred_at, moved_at)
    assert facts(folded) == (None, "", None, None)  # closed, its messages moved out
    assert as_stored(Conversation.objects.all()) == as_the_interactions_say(
        Conversation.objects.all()
    )


def _small_history(agent) -> None:
    """Conversations written straight to the tables (as an old database holds them)."""
    now = timezone.now()
    for n in range(6):
        contact = ContactFactory()
        conversation = Conversation.objects.create(contact=contact, channel="sms", address=str(n))
        steps = [
            [],  # no messages at all
            ["in"],
            ["in", "in", "staff"],
            ["in", "staff", "in", "auto", "in"],
            ["staff", "auto"],  # staff wrote first, the citizen never answered
            ["in", "staff", "staff", "in"],
        ][n]
        for k, step in enumerate(steps):
            InteractionFactory(
                contact=contact,
                conversation=conversation,
                direction="in" if step == "in" else "out",
                author=agent if step == "staff" else None,
                body=f"{n}-{k}",
                occurred_at=now - dt.timedelta(hours=10 - k),
            )
    # Same-instant messages: the later row is the last word.
    twin = Conversation.objects.create(contact=ContactFactory(), channel="sms", address="t")
    for body in ("a", "b"):
        InteractionFactory(contact=twin.contact, conversation=twin, body=body, occurred_at=now)
    # A note and a message outside any conversation count for nothing.
    InteractionFactory(contact=twin.contact, conversation=None, occurred_at=now)


def test_the_migration_fills_old_conversations_as_the_subqueries_read_them(agent):
    _small_history(agent)
    everything = Conversation.objects.all()
    expected = as_the_interactions_say(everything)
    assert any(row[4] for row in expected) and any(row[3] for row in expected)
    everything.update(
        last_inbound_at=None, last_inbound_body="", last_staff_reply_at=None, waiting_since=None
    )

    migration = importlib.import_module("crm.migrations.0008_conversation_inbox_facts")
    migration.fill_from_interactions(apps, SimpleNamespace(connection=connection))

    assert as_stored(everything) == expected


def test_the_bulk_refresh_agrees_with_the_subqueries(agent):
    _small_history(agent)
    Conversation.objects.update(waiting_since=None, last_inbound_body="stale")
    conversation_facts_refresh()
    assert as_stored(Conversation.objects.all()) == as_the_interactions_say(
        Conversation.objects.all()
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers, so two messages cannot overlap there",
)
@pytest.mark.django_db(transaction=True)
def test_messages_recorded_at_once_all_count(agent):
    import random
    import threading

    from django.db import connections

    conversation = inbound("эхний", at(0)).conversation
    reply = outbound(conversation, "хариу", author=agent)
    # Stamped after the reply, delivered in no particular order by four webhooks at once.
    stamps = [reply.occurred_at + dt.timedelta(seconds=n) for n in range(1, 41)]
    random.Random(7).shuffle(stamps)
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def webhook(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            for stamp in stamps[i::4]:
                inbound(f"m{stamp.timestamp()}", stamp)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=webhook, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    first, last = min(stamps), max(stamps)
    assert facts(conversation) == (last, f"m{last.timestamp()}", reply.occurred_at, first)
    assert Conversation.objects.get(pk=conversation.pk).unread_count == 41
