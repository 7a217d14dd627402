"""A citizen's whole history in one list: messages, calls, visits, notes and case events."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from crm.models import Contact, Interaction


@dataclass
class Entry:
    at: dt.datetime
    kind: str  # message, call, voicemail, kiosk_visit, note, case_event
    direction: str  # in, out, internal
    channel: str
    channel_label: str
    body: str
    who: str = ""
    status: str = ""
    status_label: str = ""
    error: str = ""
    case_number: str = ""
    case_id: int | None = None
    conversation_id: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def css(self) -> str:
        return f"entry entry-{self.kind} entry-{self.direction}"


def contact_timeline(*, contact: Contact, language: str, limit: int = 300) -> list[Entry]:
    """Oldest first, as a chat reads; interactions and the events of the contact's cases."""
    entries: list[Entry] = []
    interactions = (
        Interaction.objects.filter(contact=contact)
        .select_related("author")
        .order_by("-occurred_at", "-id")[:limit]
    )
    for item in interactions:
        if item.kind == Interaction.Kind.CASE_EVENT and item.payload.get("case_id"):
            continue  # shown from the case's own event history below, in the reader's language
        author = ""
        if item.author_id:
            author = item.author.get_full_name() or item.author.username
        entries.append(
            Entry(
                at=item.occurred_at,
                kind=item.kind,
                direction=item.direction,
                channel=item.channel,
                channel_label=item.get_channel_display(),
                body=item.body,
                who=author,
                status=item.status if item.direction == Interaction.Direction.OUTBOUND else "",
                status_label=item.get_status_display(),
                error=" ".join(x for x in (item.error_code, item.error_message) if x),
                conversation_id=item.conversation_id,
                extra=_extra(item),
            )
        )
    entries.extend(_case_events(contact=contact, language=language, limit=limit))
    entries.sort(key=lambda e: e.at)
    return entries[-limit:]


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def _extra(item: Interaction) -> dict:
    """What makes a call, a voice message, a photo or a kiosk visit look like what it is."""
    payload = item.payload or {}
    # Files a channel kept with the message (a Telegram photo): [{name, url}].
    attachments = [
        {**a, "is_image": str(a.get("name", "")).lower().endswith(IMAGE_SUFFIXES)}
        for a in payload.get("attachments") or []
        if isinstance(a, dict) and a.get("url")
    ]
    extra: dict = {"attachments": attachments}
    duration = payload.get("duration") or payload.get("CallDuration")
    if item.kind in (Interaction.Kind.CALL, Interaction.Kind.VOICEMAIL) and duration:
        with contextlib.suppress(TypeError, ValueError):
            extra["duration"] = int(duration)
    if item.kind == Interaction.Kind.VOICEMAIL:
        extra["interaction_id"] = item.pk
        extra["transcript"] = payload.get("transcript") or payload.get("TranscriptionText") or ""
        extra["has_recording"] = bool(payload.get("recording_url"))
    if item.kind == Interaction.Kind.KIOSK_VISIT:
        extra["kiosk_name"] = payload.get("kiosk_name", "")
    return extra


def conversation_messages(timeline: list[Entry], conversation) -> list[Entry]:
    """The entries of one conversation (its messages, calls and notes), oldest first."""
    return [e for e in timeline if e.conversation_id == conversation.pk]


def _case_events(*, contact: Contact, language: str, limit: int) -> list[Entry]:
    from cases.labels import status_label
    from cases.models import CaseEvent

    events = (
        CaseEvent.objects.filter(case__beneficiary=contact)
        .select_related("case__service", "actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
    result = []
    for event in events:
        actor = event.actor.get_full_name() or event.actor.username if event.actor_id else ""
        text = status_label(event.to_status, language, event.case.service.workflow)
        if event.from_status:
            text = (
                f"{status_label(event.from_status, language, event.case.service.workflow)} → {text}"
            )
        else:  # the case was opened
            text = f"{event.case.service.name_in(language)}: {text}"
        result.append(
            Entry(
                at=event.occurred_at,
                kind="case_event",
                direction="internal",
                channel="case",
                channel_label=event.case.number,
                body=text,
                who=actor,
                case_number=event.case.number,
                case_id=event.case_id,
                extra={"reason": event.reason, "action": event.action},
            )
        )
    return result
