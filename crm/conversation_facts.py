"""What the inbox shows of a conversation, kept on its row as interactions are recorded.

- ``last_inbound_at`` / ``last_inbound_body``: the citizen's last words;
- ``last_staff_reply_at``: the last outbound message a staff member wrote (an automatic
  answer has no author and does not count: the citizen still waits for a person), None when
  nobody answered yet (the first-reply deadline runs);
- ``waiting_since``: the citizen's first message after that reply, None when staff had the
  last word.

Reading these from the interactions took three correlated subqueries per inbox row; kept
here they are plain columns of the row the list already reads. ``facts_after`` gives the
UPDATE that folds one new interaction in, written in the same transaction as the interaction
itself. Its expressions read the row's current values inside the UPDATE (never a value read
earlier in Python), so two messages recorded at once both count. ``conversation_facts_refresh``
recomputes them from the interactions, set-based, after rows were moved between
conversations or loaded in bulk.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .models import Conversation, Interaction

if TYPE_CHECKING:
    from django.db.models import Expression

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def counts_as_staff_reply(interaction: Interaction) -> bool:
    return (
        interaction.direction == Interaction.Direction.OUTBOUND
        and interaction.author_id is not None
    )


def facts_after(interaction: Interaction) -> dict[str, Expression]:
    """The column updates for ``interaction`` joining its conversation (none for a note)."""
    at = interaction.occurred_at
    if interaction.direction == Interaction.Direction.INBOUND:
        # Ties go to the later row, as "newest by time, then id" would pick it.
        newest = Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lte=at)
        after_reply = Q(last_staff_reply_at__isnull=True) | Q(last_staff_reply_at__lt=at)
        # A message delivered late (older than one already waiting) moves the start back.
        starts_wait = after_reply & (Q(waiting_since__isnull=True) | Q(waiting_since__gt=at))
        return {
            "last_inbound_at": Case(
                When(newest, then=Value(at)),
                default=F("last_inbound_at"),
                output_field=DateTimeField(),
            ),
            "last_inbound_body": Case(
                When(newest, then=Value(interaction.body)),
                default=F("last_inbound_body"),
                output_field=TextField(),
            ),
            "waiting_since": Case(
                When(starts_wait, then=Value(at)),
                default=F("waiting_since"),
                output_field=DateTimeField(),
            ),
        }
    if counts_as_staff_reply(interaction):
        newest = Q(last_staff_reply_at__isnull=True) | Q(last_staff_reply_at__lt=at)
        # Only a citizen's message stamped after the reply (a clock ahead, a late webhook)
        # keeps them waiting; finding which one needs the interactions, so only then.
        first_after = (
            Interaction.objects.filter(
                conversation=OuterRef("pk"),
                direction=Interaction.Direction.INBOUND,
                occurred_at__gt=at,
            )
            .order_by("occurred_at")
            .values("occurred_at")[:1]
        )
        return {
            "last_staff_reply_at": Case(
                When(newest, then=Value(at)),
                default=F("last_staff_reply_at"),
                output_field=DateTimeField(),
            ),
            "waiting_since": Case(
                When(newest & Q(last_inbound_at__gt=at), then=Subquery(first_after)),
                When(newest, then=Value(None)),
                default=F("waiting_since"),
                output_field=DateTimeField(),
            ),
        }
    return {}


def mirror_inbound(conversation: Conversation, interaction: Interaction) -> None:
    """Apply an inbound message's ``facts_after`` to the in-memory row, as the UPDATE did to
    the stored one (from the values this object was read with)."""
    at = interaction.occurred_at
    if conversation.last_inbound_at is None or conversation.last_inbound_at <= at:
        conversation.last_inbound_at = at
        conversation.last_inbound_body = interaction.body
    replied = conversation.last_staff_reply_at
    if (replied is None or replied < at) and (
        conversation.waiting_since is None or conversation.waiting_since > at
    ):
        conversation.waiting_since = at


def conversation_facts_refresh(conversations: QuerySet[Conversation] | None = None) -> int:
    """Recompute the facts of ``conversations`` (all when None) from their interactions.

    Two set-based UPDATEs, each a few index probes per conversation on
    ``interaction_conv_idx``; the second reads the reply time the first wrote.
    """
    qs = Conversation.objects.all() if conversations is None else conversations
    updated = qs.update(**_facts_from_interactions())
    qs.update(waiting_since=_waiting_since_from_interactions())
    return updated


def _facts_from_interactions() -> dict[str, Expression]:
    of_conversation = Interaction.objects.filter(conversation=OuterRef("pk"))
    last_in = of_conversation.filter(direction=Interaction.Direction.INBOUND).order_by(
        "-occurred_at", "-id"
    )
    staff = of_conversation.filter(
        direction=Interaction.Direction.OUTBOUND, author__isnull=False
    ).order_by("-occurred_at")
    return {
        "last_inbound_at": Subquery(last_in.values("occurred_at")[:1]),
        "last_inbound_body": Coalesce(Subquery(last_in.values("body")[:1]), Value("")),
        "last_staff_reply_at": Subquery(staff.values("occurred_at")[:1]),
    }


def _waiting_since_from_interactions() -> Subquery:
    return Subquery(
        Interaction.objects.filter(
            conversation=OuterRef("pk"), direction=Interaction.Direction.INBOUND
        )
        .filter(occurred_at__gt=Coalesce(OuterRef("last_staff_reply_at"), Value(_EPOCH)))
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
