"""The demo as a working day, seeded after every app's own demo data (this app is last).

Each app's seeder creates its rows "now"; an office never looks like that. Here the requests
created by this run are spread over the past weeks (every step at its own moment in office
hours, the step's deadline counted from it, so some are overdue), the agents' inboxes get
several conversations each on every channel (SMS, calls and voice messages, Telegram, kiosk
visits) from the last days, and the deadline job runs so the breaches a supervisor would see
exist. A second run finds its rows and changes nothing it made before.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Max
from django.utils import timezone

from cases import sla
from cases.breaches import StepTime
from cases.deadlines import deadlines_check
from cases.models import Case, CaseDocument, CaseEvent, Workflow
from cases.workflows import workflow_for
from crm.consents import consent_record
from crm.conversation_facts import conversation_facts_refresh
from crm.models import Channel, Consent, Conversation, Identity, Interaction, User
from crm.services import inbound_message_record, interaction_record

# The oldest request of the demo was opened this many days ago.
OLDEST_DAYS = 42
# Telegram user ids of the demo citizens writing to the bot (fake, but shaped like real ones).
TELEGRAM_IDS = {"ganaa": 5120458001, "enkhee": 5120458002, "ivan": 5120458003, "oyun": 5120458004}

# contact key, channel, kind, [(hours ago, "in" | "out", text)]; "out" is an agent's reply.
THREADS = [
    ("dorj", "sms", Interaction.Kind.MESSAGE, [
        (3.5, "in", "Сайн байна уу, асрамжийн газарт хэзээ орох вэ? Ор сул гарсан уу?"),
        (3.2, "out", "Сайн байна уу, Цэрэн гуай. Таны хүсэлтийг шалгаад эргэж хариулъя."),
        (0.7, "in", "Баярлалаа, хүлээж байна."),
    ]),
    ("bat", "voice", Interaction.Kind.VOICEMAIL, [
        (5, "in", "Voice message, 41 s."),
    ]),
    ("tsetseg", "sms", Interaction.Kind.MESSAGE, [
        (50, "in", "Өвлийн түлшний тусламж авах боломжтой юу? Хүсэлт маань буцаагдсан."),
    ]),
    ("ganaa", "telegram", Interaction.Kind.MESSAGE, [
        (26, "in", "Здравствуйте, пособие за этот месяц уже перечислено?"),
        (25.5, "out", "Здравствуйте! Да, выплата за месяц включена в список района."),
        (2, "in", "Спасибо. А можно получать его на другую карту?"),
    ]),
    ("luvsan", "kiosk", Interaction.Kind.KIOSK_VISIT, [
        (28, "in", "Kiosk visit: looked up the request, asked to be called back."),
    ]),
    ("naraa", "sms", Interaction.Kind.MESSAGE, [
        (7, "in", "Асрамжийн газарт хэзээ хүлээж авах вэ? Дараалал хэд дэх вэ?"),
    ]),
    ("enkhee", "telegram", Interaction.Kind.MESSAGE, [
        (30, "in", "Мне вернули заявку. Какую справку нужно принести заново?"),
        (29, "out", "Справку о состоянии здоровья: ей должно быть не больше трёх месяцев."),
        (1.5, "in", "Справку взяла, можно отправить фото сюда?"),
    ]),
    ("davaa", "voice", Interaction.Kind.VOICEMAIL, [
        (75, "in", "Voice message, 63 s."),
    ]),
    ("badam", "kiosk", Interaction.Kind.KIOSK_VISIT, [
        (9, "in", "Kiosk visit: printed the request's ticket."),
    ]),
    ("oyun", "telegram", Interaction.Kind.MESSAGE, [
        (4, "in", "Асрамжийн газар руу хэзээ очих вэ? Хуваарилсан гэж мессеж ирсэн."),
    ]),
    ("sukh", "voice", Interaction.Kind.CALL, [
        (6, "in", "Missed call: hung up while waiting for an agent."),
    ]),
    # Kazakhstan: the Kazakh desk's agent.
    ("valentina", "sms", Interaction.Kind.MESSAGE, [
        (20, "in", "Добрый день! Когда рассмотрят мою заявку на дом престарелых?"),
        (19, "out", "Здравствуйте! Заявка у районного отдела, ответ придёт по SMS."),
        (0.5, "in", "Хорошо, спасибо."),
    ]),
    ("roza", "voice", Interaction.Kind.VOICEMAIL, [
        (30, "in", "Voice message, 28 s."),
    ]),
    ("saule", "kiosk", Interaction.Kind.KIOSK_VISIT, [
        (8, "in", "Kiosk visit: looked up the request, asked to be called back."),
    ]),
    ("ivan", "telegram", Interaction.Kind.MESSAGE, [
        (54, "in", "Какие документы нужны, чтобы заявку приняли повторно?"),
    ]),
]  # fmt: skip


def _spread(key: str, span: float) -> float:
    """A stable number in [0, span) for ``key``: the same demo row gets the same moment."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 * span


def _office_moment(at: dt.datetime, country: str) -> dt.datetime:
    """``at`` moved into the country's office hours on a weekday (a worker's click)."""
    schedule = sla.schedule_for(country)
    local = schedule.local(at)
    while local.weekday() >= 5:
        local -= dt.timedelta(days=1)
    if not 9 <= local.hour < 18:
        local = local.replace(hour=9 + local.minute % 8, minute=local.second)
    return local


# --- requests spread over the past weeks --------------------------------------------------


def _age_case(case: Case, now: dt.datetime) -> None:
    country = sla.country_of(case.unit)
    events = list(case.events.order_by("occurred_at", "id"))
    age = dt.timedelta(days=1 + _spread(case.number, OLDEST_DAYS - 1))
    opened = _office_moment(now - age, country)
    span = now - opened
    moments: list[dt.datetime] = []
    for n, event in enumerate(events):
        # Steps follow each other over the request's life; the last one a while ago.
        at = opened + span * (0.8 * n / max(len(events), 1))
        at = _office_moment(at, country) if n else opened
        if moments and at <= moments[-1]:
            at = moments[-1] + dt.timedelta(minutes=5 + _spread(f"{event.pk}", 90))
        at = min(at, now - dt.timedelta(minutes=20))
        moments.append(at)
        CaseEvent.objects.filter(pk=event.pk).update(occurred_at=at)
        Interaction.objects.filter(
            kind=Interaction.Kind.CASE_EVENT, payload__event_id=event.pk
        ).update(occurred_at=at, created_at=at)
    if not moments:
        return
    last = events[-1]
    workflow = workflow_for(case.service.workflow)
    transition = workflow.transition(last.action)
    term = transition.step_deadline if transition else workflow.first_step_deadline
    due_at, due_date = sla.step_due(moments[-1], term, country)
    submitted = [m for e, m in zip(events, moments, strict=True) if e.action == "submit"]
    Case.objects.filter(pk=case.pk).update(
        created_at=opened,
        status_changed_at=moments[-1],
        submitted_at=submitted[-1] if submitted else case.submitted_at,
        due_at=due_at,
        due_date=due_date,
    )
    CaseDocument.objects.filter(case=case).update(uploaded_at=opened + dt.timedelta(minutes=12))
    # A step's time runs from the event that entered it to the one that left it.
    for n, step in enumerate(StepTime.objects.filter(case=case).order_by("left_at", "id")):
        if n + 1 < len(moments):
            StepTime.objects.filter(pk=step.pk).update(
                entered_at=moments[n], left_at=moments[n + 1]
            )


def age_new_cases(context, now: dt.datetime) -> int:
    """Spread this run's requests over the past weeks; older runs' requests are left alone."""
    # Mark applications and paid allowances keep the dates their own seeder gave them: a
    # mark's 180 days and an allowance's paid months are counted from those.
    fresh = (
        Case.objects.filter(created_at__gte=context.started_at, entitlement__isnull=True)
        .exclude(service__workflow=Workflow.ORGANISATION_MARK)
        .select_related("service", "unit")
    )
    aged = 0
    for case in fresh.order_by("id"):
        _age_case(case, now)
        aged += 1
    return aged


# --- the agents' inboxes ------------------------------------------------------------------


def _address(contact, channel: str) -> tuple[str, str] | None:
    scheme = {
        "sms": Identity.Scheme.PHONE,
        "voice": Identity.Scheme.PHONE,
        "telegram": Identity.Scheme.TELEGRAM,
        "kiosk": Identity.Scheme.NATIONAL_ID,
    }[channel]
    identity = contact.identities.filter(scheme=scheme).first()
    return (scheme, identity.value) if identity else None


def _thread(context, key: str, channel: str, kind: str, lines, now: dt.datetime) -> None:
    contact = context.contacts.get(key)
    if contact is None:
        return
    if channel == "telegram" and key in TELEGRAM_IDS:
        Identity.objects.get_or_create(
            scheme=Identity.Scheme.TELEGRAM,
            value=str(TELEGRAM_IDS[key]),
            defaults={"contact": contact, "verified": True},
        )
    address = _address(contact, channel)
    if address is None:
        return
    scheme, value = address
    agent = None
    conversation = None
    first_at = None
    for n, (hours_ago, direction, text) in enumerate(lines):
        at = now - dt.timedelta(hours=hours_ago, minutes=_spread(f"{key}{n}", 20))
        provider_id = f"demo-day-{key}-{channel}-{n}"
        if direction == "in":
            result = inbound_message_record(
                channel=channel,
                scheme=scheme,
                address=value,
                body=text,
                provider_message_id=provider_id,
                occurred_at=at,
                kind=kind if n == 0 else Interaction.Kind.MESSAGE,
                payload={"demo": True},
            )
            if not result.created:
                return  # seeded by an earlier run
            conversation = result.conversation
            first_at = first_at or at
            continue
        if conversation is None:
            continue
        agent = agent or _assign(conversation)
        reply = interaction_record(
            contact=contact,
            conversation=conversation,
            channel=channel,
            direction=Interaction.Direction.OUTBOUND,
            kind=Interaction.Kind.MESSAGE,
            body=text,
            author=agent,
            address=value,
            status=Interaction.Status.DELIVERED,
            provider_message_id=provider_id,
        )
        Interaction.objects.filter(pk=reply.pk).update(occurred_at=at, created_at=at)
    if conversation is None:
        return
    if agent is None:
        _assign(conversation)
    latest = conversation.interactions.aggregate(at=Max("occurred_at"))["at"]
    Conversation.objects.filter(pk=conversation.pk).update(
        created_at=first_at, last_activity_at=latest or first_at
    )
    # The replies were back-dated after they were recorded: their reply times follow.
    conversation_facts_refresh(Conversation.objects.filter(pk=conversation.pk))


def _assign(conversation: Conversation) -> User | None:
    """The agent the desk's own rule picks (the least loaded of those who see the citizen)."""
    from console.services import conversation_auto_assign

    conversation.refresh_from_db()
    if conversation.assignee_id:
        return conversation.assignee
    return conversation_auto_assign(conversation=conversation)


def seed_inboxes(context, now: dt.datetime) -> None:
    for key, channel, kind, lines in THREADS:
        _thread(context, key, channel, kind, lines, now)


def seed_consents() -> int:
    """The people with a request signed the consent form at the office (the walk-in way);
    the consent panel and its withdrawal then have something to show."""
    made = 0
    for case in Case.objects.select_related("beneficiary", "created_by").order_by("pk"):
        subject = case.beneficiary
        if subject is None or Consent.objects.filter(subject=subject).exists():
            continue
        consent_record(
            subject=subject,
            given_by=subject,
            purpose=Consent.Purpose.DATA_PROCESSING,
            method=Consent.Method.SIGNED_FORM,
            channel=Channel.WALK_IN,
            reference=case.number,
            recorded_by=case.created_by,
        )
        made += 1
    return made


def seed(context) -> None:
    now = timezone.now()
    aged = age_new_cases(context, now)
    seed_inboxes(context, now)
    seed_consents()
    result = deadlines_check(now=now)
    context.notes.append(
        f"A working day: {aged} new requests spread over the last {OLDEST_DAYS} days; the "
        f"deadline check recorded {result.recorded} breaches (supervisor desk, worklists)."
    )
