"""Who gets a new conversation: load-balanced, within limits, only agents who may see it."""

import pytest

from console import services
from crm.errors import Conflict, NotAllowed
from crm.models import Conversation, Role, User
from tests.factories import ContactFactory, ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def agent(name, unit, *, available=True, limit=8):
    return UserFactory(
        username=name,
        role=Role.AGENT,
        unit=unit,
        availability="available" if available else "away",
        max_open_conversations=limit,
    )


def load(user, n, tree):
    for _ in range(n):
        ConversationFactory(contact=ContactFactory(address_unit=tree.k7), assignee=user)


def test_a_new_conversation_goes_to_the_available_agent_with_the_fewest_open(tree, sms_from):
    busy, light, away = (
        agent("busy", tree.country),
        agent("light", tree.country),
        agent("away", tree.country, available=False),
    )
    load(busy, 3, tree)
    load(light, 1, tree)
    result = sms_from("+97699000001")
    result.conversation.refresh_from_db()
    assert result.conversation.assignee == light
    assert away.pk != result.conversation.assignee_id


def test_agents_at_their_limit_are_skipped_and_nobody_gets_it_when_all_are_full(tree, sms_from):
    full = agent("full", tree.country, limit=2)
    load(full, 2, tree)
    result = sms_from("+97699000002")
    result.conversation.refresh_from_db()
    assert result.conversation.assignee is None
    roomy = agent("roomy", tree.country, limit=5)
    load(roomy, 4, tree)
    second = sms_from("+97699000003")
    second.conversation.refresh_from_db()
    assert second.conversation.assignee == roomy


def test_an_agent_outside_the_citizens_country_never_gets_the_conversation(tree, sms_from):
    from tests.factories import AdminUnitFactory

    kz = AdminUnitFactory(code="KZ", level=0, parent=None)
    kz_agent = agent("kz", kz)
    citizen = ContactFactory(address_unit=tree.k7)
    from crm.models import Identity

    Identity.objects.create(contact=citizen, scheme="phone", value="+97699000004")
    result = sms_from("+97699000004")
    result.conversation.refresh_from_db()
    assert result.conversation.assignee_id != kz_agent.pk
    assert result.conversation.assignee is None


def test_becoming_available_pulls_waiting_conversations(tree, sms_from):
    late = agent("late", tree.country, available=False)
    waiting = sms_from("+97699000005").conversation
    assert Conversation.objects.get(pk=waiting.pk).assignee is None
    services.agent_availability_set(user=late, availability=User.Availability.AVAILABLE)
    assert Conversation.objects.get(pk=waiting.pk).assignee == late


def test_taking_someone_elses_conversation_is_refused_but_a_supervisor_reassigns(
    tree, staff, sms_from
):
    first = agent("first", tree.country)
    other = agent("other", tree.country, available=False)
    conversation = sms_from("+97699000006").conversation
    conversation.refresh_from_db()
    assert conversation.assignee == first
    with pytest.raises(Conflict, match="already works on this conversation"):
        services.conversation_take(conversation=conversation, agent=other)
    with pytest.raises(NotAllowed):
        services.conversation_assign(conversation=conversation, assignee=other, actor=first)
    services.conversation_assign(conversation=conversation, assignee=other, actor=staff.supervisor)
    assert Conversation.objects.get(pk=conversation.pk).assignee == other


def test_social_workers_do_not_work_the_inbox(staff, sms_from):
    conversation = sms_from("+97699000007").conversation
    with pytest.raises(NotAllowed):
        services.conversation_take(conversation=conversation, agent=staff.local7)


def test_a_teams_conversation_goes_only_to_that_teams_agents(tree):
    from console.services import conversation_auto_assign

    general = agent("general", tree.country)
    russian = agent("russian", tree.country)
    russian.team = "ru-desk"
    russian.save()
    load(russian, 3, tree)
    conversation = ConversationFactory(contact=ContactFactory(address_unit=tree.k7), team="ru-desk")
    assert conversation_auto_assign(conversation=conversation) == russian
    assert general.pk != Conversation.objects.get(pk=conversation.pk).assignee_id


def test_only_live_conversations_count_towards_an_agents_load(tree):
    from console.selectors import agents_with_load

    veteran, newcomer, idle = (
        agent("veteran", tree.country),
        agent("newcomer", tree.country),
        agent("idle", tree.country),
    )
    for _ in range(3):  # a long history, all of it resolved
        ConversationFactory(
            contact=ContactFactory(address_unit=tree.k7),
            assignee=veteran,
            status=Conversation.Status.RESOLVED,
        )
    ConversationFactory(contact=ContactFactory(address_unit=tree.k7), assignee=veteran)
    for status in (Conversation.Status.OPEN, Conversation.Status.PENDING):
        ConversationFactory(
            contact=ContactFactory(address_unit=tree.k7), assignee=newcomer, status=status
        )
    loads = dict(
        agents_with_load()
        .filter(pk__in=[veteran.pk, newcomer.pk, idle.pk])
        .values_list("username", "open_load")
    )
    assert loads == {"veteran": 1, "newcomer": 2, "idle": 0}
