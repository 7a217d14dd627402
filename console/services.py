"""Writes the desk console makes: assignment, replies, notes, resolving, identifying callers."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import services as crm_services
from crm.errors import Conflict, NotAllowed, ValidationFailed
from crm.events import conversation_changed, publish_after_commit
from crm.jurisdiction import contacts_visible_to
from crm.models import Contact, Conversation, Interaction, Role, User

from .models import WrapUpCode
from .selectors import (
    LIVE_STATUSES,
    agent_load,
    agents_with_load,
    may_reassign,
    users_who_see_contact,
    works_the_inbox,
)

logger = logging.getLogger(__name__)


def _changed(conversation: Conversation) -> None:
    publish_after_commit(
        conversation_changed,
        sender=Conversation,
        conversation_id=conversation.pk,
        contact_id=conversation.contact_id,
    )


def _assigned(conversation: Conversation, actor: User | None) -> None:
    """Tell the new assignee (a sound and a desktop notice in their console), after commit.

    Not when they took it themselves: they know.
    """
    assignee_id = conversation.assignee_id
    if assignee_id is None or (actor is not None and actor.pk == assignee_id):
        return
    from channels_app.dispatch import task_dispatch

    from .tasks import console_react

    data = {"conversation_id": conversation.pk, "assignee_id": assignee_id}
    transaction.on_commit(lambda: task_dispatch(console_react, "assigned", data))


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _require_desk(user: User, conversation: Conversation) -> None:
    if not works_the_inbox(user):
        raise NotAllowed(_("Only call-centre agents and supervisors work conversations."))
    if not contacts_visible_to(user).filter(pk=conversation.contact_id).exists():
        raise NotAllowed(_("This conversation is outside your area."))


# --- assignment --------------------------------------------------------------------------


@transaction.atomic
def conversation_take(*, conversation: Conversation, agent: User) -> Conversation:
    """The agent takes a conversation for themselves."""
    _require_desk(agent, conversation)
    conversation = _locked(conversation)
    if conversation.assignee_id == agent.pk:
        return conversation
    if conversation.assignee_id and not may_reassign(agent):
        raise Conflict(
            _("%(name)s already works on this conversation; ask a supervisor to reassign it.")
            % {"name": conversation.assignee.get_full_name() or conversation.assignee.username}
        )
    if conversation.status == Conversation.Status.RESOLVED:
        # Reopening could clash with a newer live thread; the citizen's next message opens one.
        raise Conflict(
            _("This conversation is resolved; the citizen's next message opens a new one.")
        )
    conversation.assignee = agent
    conversation.save(update_fields=["assignee"])
    _changed(conversation)
    return conversation


@transaction.atomic
def conversation_assign(
    *, conversation: Conversation, assignee: User | None, actor: User
) -> Conversation:
    """A supervisor hands a conversation to another agent (or back to the queue)."""
    if not may_reassign(actor):
        raise NotAllowed(_("Only a supervisor can reassign conversations."))
    _require_desk(actor, conversation)
    if assignee is not None:
        if assignee.role != Role.AGENT or not assignee.is_active:
            raise ValidationFailed(_("Conversations can only be assigned to active agents."))
        if not contacts_visible_to(assignee).filter(pk=conversation.contact_id).exists():
            raise ValidationFailed(
                _("%(name)s cannot see this citizen (outside their area).")
                % {"name": assignee.get_full_name() or assignee.username}
            )
    conversation = _locked(conversation)
    conversation.assignee = assignee
    conversation.save(update_fields=["assignee"])
    _changed(conversation)
    _assigned(conversation, actor)
    return conversation


def conversation_auto_assign(*, conversation: Conversation) -> User | None:
    """Give an unassigned live conversation to the least-loaded available agent.

    Load-balanced, not round-robin: the available agent with the fewest live conversations
    below their own limit wins (ties go to the longest-serving account); a conversation with a
    team goes only to that team's agents. The chosen agent's
    row is locked and the load re-counted, so two conversations arriving together cannot push
    one agent over the limit.
    """
    audience = {u.pk for u in users_who_see_contact(conversation.contact)}
    with transaction.atomic():
        conversation = _locked(conversation)
        if conversation.assignee_id or conversation.status not in LIVE_STATUSES:
            return None
        candidates = agents_with_load().filter(
            pk__in=audience,
            is_active=True,
            role=Role.AGENT,
            availability=User.Availability.AVAILABLE,
        )
        if conversation.team:
            # A conversation routed to a team (e.g. Russian-speaking desk) stays with it.
            candidates = candidates.filter(team=conversation.team)
        candidates = candidates.order_by("open_load", "pk")
        for candidate in candidates:
            agent = User.objects.select_for_update().get(pk=candidate.pk)
            if agent_load(agent=agent) >= agent.max_open_conversations:
                continue
            conversation.assignee = agent
            conversation.save(update_fields=["assignee"])
            _changed(conversation)
            _assigned(conversation, None)
            return agent
    return None


def unassigned_distribute(*, limit: int = 50) -> int:
    """Hand waiting conversations out, oldest first (an agent just became available)."""
    assigned = 0
    waiting = (
        Conversation.objects.filter(assignee__isnull=True, status__in=LIVE_STATUSES)
        .select_related("contact__address_unit")
        .order_by("last_activity_at")[:limit]
    )
    for conversation in waiting:
        if conversation_auto_assign(conversation=conversation) is not None:
            assigned += 1
    return assigned


@transaction.atomic
def agent_availability_set(*, user: User, availability: str) -> User:
    if availability not in User.Availability.values:
        raise ValidationFailed(_("Choose available or away."))
    user.availability = availability
    user.save(update_fields=["availability"])
    if availability == User.Availability.AVAILABLE and user.role == Role.AGENT:
        transaction.on_commit(unassigned_distribute)
    return user


# --- working a conversation ---------------------------------------------------------------


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, user: User) -> Conversation:
    _require_desk(user, conversation)
    updated = Conversation.objects.filter(pk=conversation.pk, unread_count__gt=0).update(
        unread_count=0
    )
    conversation.unread_count = 0
    if updated:
        _changed(conversation)
    return conversation


def conversation_reply(*, conversation: Conversation, agent: User, body: str) -> object:
    """Send the agent's answer on the channel the citizen used, through the outbox."""
    from channels_app.outbound import reply_send

    _require_desk(agent, conversation)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write a reply before sending."), details={"body": ["empty"]})
    with transaction.atomic():
        conversation = _locked(conversation)
        if conversation.assignee_id is None:
            conversation.assignee = agent
        conversation.unread_count = 0
        if conversation.status == Conversation.Status.RESOLVED:
            raise Conflict(
                _("This conversation is resolved; the citizen's next message opens a new one.")
            )
        conversation.save(update_fields=["assignee", "unread_count"])
        sent = reply_send(conversation=conversation, author=agent, body=body)
        _changed(conversation)
    return sent


def conversation_note(*, conversation: Conversation, author: User, body: str) -> Interaction:
    _require_desk(author, conversation)
    return crm_services.note_add(
        contact=conversation.contact, author=author, body=body, conversation=conversation
    )


@transaction.atomic
def conversation_set_pending(*, conversation: Conversation, actor: User) -> Conversation:
    """Waiting on the citizen or on another office: out of the open list, not closed."""
    _require_desk(actor, conversation)
    conversation = _locked(conversation)
    if conversation.status == Conversation.Status.RESOLVED:
        raise Conflict(_("This conversation is already resolved."))
    conversation.status = Conversation.Status.PENDING
    conversation.save(update_fields=["status"])
    _changed(conversation)
    return conversation


@transaction.atomic
def conversation_resolve(
    *, conversation: Conversation, actor: User, wrap_up_code: str
) -> Conversation:
    _require_desk(actor, conversation)
    code = WrapUpCode.objects.filter(code=wrap_up_code, active=True).first()
    if code is None:
        raise ValidationFailed(
            _("Choose a wrap-up code that says how the conversation ended."),
            details={"wrap_up_code": ["required"]},
        )
    conversation = _locked(conversation)
    if conversation.status == Conversation.Status.RESOLVED:
        raise Conflict(_("This conversation is already resolved."))
    conversation.status = Conversation.Status.RESOLVED
    conversation.wrap_up_code = code.code
    conversation.resolved_at = timezone.now()
    conversation.unread_count = 0
    if conversation.assignee_id is None:
        conversation.assignee = actor
    conversation.save(
        update_fields=["status", "wrap_up_code", "resolved_at", "unread_count", "assignee"]
    )
    _changed(conversation)
    return conversation


# --- identifying the caller --------------------------------------------------------------


@transaction.atomic
def conversation_link_contact(
    *, conversation: Conversation, contact: Contact, actor: User
) -> Conversation:
    """The caller turned out to be ``contact``: the sender's record folds into theirs.

    The phone number, this conversation and everything else the unidentified sender had move
    to the identified citizen through the core's merge, so nothing said is lost and the next
    message from that number lands on the right person.
    """
    _require_desk(actor, conversation)
    if not contacts_visible_to(actor).filter(pk=contact.pk).exists():
        raise NotAllowed(_("This citizen is outside your area."))
    sender = conversation.contact
    if sender.pk == contact.pk:
        return conversation
    if sender.is_identified and contact.is_identified:
        raise ValidationFailed(
            _(
                "Both records are identified citizens. If they are the same person, "
                "merge them from the citizen's page."
            )
        )
    survivor, duplicate = (contact, sender) if not sender.is_identified else (sender, contact)
    crm_services.contact_merge(
        survivor=survivor,
        duplicate=duplicate,
        actor=actor,
        reason=_("Identified in conversation #%(id)s") % {"id": conversation.pk},
    )
    conversation.refresh_from_db()
    if (
        conversation.status == Conversation.Status.RESOLVED
        and conversation.wrap_up_code == "merged"
    ):
        # The survivor already had a live thread on this channel; the merge folded ours in.
        conversation = (
            Conversation.objects.filter(contact=survivor, channel=conversation.channel)
            .filter(status__in=LIVE_STATUSES)
            .first()
            or conversation
        )
    _changed(conversation)
    return conversation


def contact_merge_duplicates(*, survivor: Contact, duplicate: Contact, actor: User, reason: str):
    if not works_the_inbox(actor) and actor.role not in (Role.LOCAL_WORKER, Role.DISTRICT_WORKER):
        raise NotAllowed(_("Your role cannot merge citizens."))
    visible = contacts_visible_to(actor)
    if visible.filter(pk__in=[survivor.pk, duplicate.pk]).count() != 2:
        raise NotAllowed(_("Both citizens must be inside your area."))
    return crm_services.contact_merge(
        survivor=survivor, duplicate=duplicate, actor=actor, reason=reason
    )


# --- callback tasks ----------------------------------------------------------------------


def _callback_locked(callback):
    from channels_app.models import CallbackRequest

    return CallbackRequest.objects.select_for_update().get(pk=callback.pk)


@transaction.atomic
def callback_take(*, callback, agent: User):
    """The agent says "I'll call this one" so two agents don't dial the same citizen."""
    if not works_the_inbox(agent):
        raise NotAllowed(_("Only call-centre agents work the callback queue."))
    callback = _callback_locked(callback)
    if callback.status != callback.Status.OPEN:
        raise Conflict(_("This callback is already closed."))
    if callback.assignee_id and callback.assignee_id != agent.pk and not may_reassign(agent):
        raise Conflict(_("Another agent is already calling this citizen."))
    callback.assignee = agent
    callback.save(update_fields=["assignee"])
    return callback


@transaction.atomic
def callback_close(*, callback, agent: User, outcome: str, note: str = ""):
    """Record that the call was made (or that the request is void), with what was said."""
    if not works_the_inbox(agent):
        raise NotAllowed(_("Only call-centre agents work the callback queue."))
    callback = _callback_locked(callback)
    if callback.status != callback.Status.OPEN:
        raise Conflict(_("This callback is already closed."))
    if outcome not in (callback.Status.DONE, callback.Status.CANCELLED):
        raise ValidationFailed(
            _("Choose whether the citizen was called back or the request is void.")
        )
    note = (note or "").strip()
    if outcome == callback.Status.DONE and not note:
        raise ValidationFailed(
            _("Write a short note of what was agreed on the call."), details={"note": ["empty"]}
        )
    callback.status = outcome
    callback.note = note[:255]
    callback.assignee = callback.assignee or agent
    callback.done_at = timezone.now()
    callback.save(update_fields=["status", "note", "assignee", "done_at"])
    crm_services.interaction_record(
        contact=callback.contact,
        channel="voice",
        direction=Interaction.Direction.OUTBOUND,
        kind=Interaction.Kind.CALL,
        body=note or _("Callback request closed without a call."),
        author=agent,
        address=callback.phone,
        status=Interaction.Status.SENT,
        payload={"callback_id": callback.pk, "outcome": outcome},
    )
    return callback


# --- labels and bulk actions ---------------------------------------------------------------


def _label_usable(label, user: User) -> bool:
    from crm.countries import country_of

    return not label.country or user.sees_everything or label.country == country_of(user.unit)


def conversation_label_add(*, conversation: Conversation, label, actor: User) -> None:
    """Put a label on a conversation (a label of another country's desk is refused)."""
    _require_desk(actor, conversation)
    if not _label_usable(label, actor):
        raise NotAllowed(_("This label belongs to another country's desk."))
    label.conversations.add(conversation)
    _changed(conversation)


def conversation_label_remove(*, conversation: Conversation, label, actor: User) -> None:
    _require_desk(actor, conversation)
    label.conversations.remove(conversation)
    _changed(conversation)


def conversations_bulk(
    *, conversations: list[Conversation], actor: User, action: str, **params
) -> tuple[int, list[str]]:
    """Apply one action to many conversations through the single-conversation services.

    Each conversation is checked and changed on its own (its own transaction), so one the
    actor may not touch, or one already resolved, is reported and the rest still go through.
    ``action``: ``take`` (to me), ``assign`` (``assignee``, supervisors) or ``resolve``
    (``wrap_up_code``). Returns how many changed and the reasons the others did not.
    """
    done, problems = 0, []
    for conversation in conversations:
        try:
            if action == "take":
                conversation_take(conversation=conversation, agent=actor)
            elif action == "assign":
                conversation_assign(
                    conversation=conversation, assignee=params.get("assignee"), actor=actor
                )
            elif action == "resolve":
                conversation_resolve(
                    conversation=conversation,
                    actor=actor,
                    wrap_up_code=params.get("wrap_up_code", ""),
                )
            else:
                raise ValidationFailed(_("Unknown action."))
        except (NotAllowed, Conflict, ValidationFailed) as exc:
            problems.append(f"{conversation.contact.display_name}: {exc.message}")
            continue
        done += 1
    return done, problems
