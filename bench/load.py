"""The bench data set: 200,000 citizens, 1,000,000 interactions, 100,000 cases, via COPY.

Ids are assigned here (not by sequences) so related tables can be written in one pass each;
sequences are reset afterwards so the server's own inserts continue above them. Foreign keys
are not re-checked row by row during the load (``session_replication_role = replica``): the
generator builds only consistent references, and ``ANALYZE`` runs at the end so the planner
sees the real sizes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

import psycopg
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from . import datagen
from .copyload import copy_rows, reset_sequence

SEED = 20261123
PASSWORD = "bench-pass-2026"
UB_DISTRICTS = ("BGD", "BZD", "BNR", "SBD", "SKH", "SHD", "CHD", "KHU", "NAL")
KHOROOS_PER_DISTRICT = 20
AIMAGS = 21
SOUMS_PER_AIMAG = 15
AGENTS = 40
MESSAGE_CHANNELS = ("sms", "telegram")
CHANNEL_WEIGHTS = (("sms", 45), ("voice", 30), ("telegram", 10), ("kiosk", 5), ("walk_in", 10))


@dataclass
class Sizes:
    contacts: int = 200_000
    interactions: int = 1_000_000
    cases: int = 100_000


@dataclass
class Dataset:
    """What the scenarios need to know about the loaded data (ids, accounts, tokens)."""

    units: dict[str, int] = field(default_factory=dict)  # path -> id
    leaf_paths: list[str] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)  # username -> id
    tokens: dict[str, str] = field(default_factory=dict)  # username -> API token
    contact_phone: dict[int, str] = field(default_factory=dict)
    contact_national_id: dict[int, str] = field(default_factory=dict)
    contact_unit: dict[int, str] = field(default_factory=dict)  # contact id -> unit path
    interactions_per_contact: dict[int, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def _timed(ds: Dataset, name: str, started: float) -> None:
    ds.timings[name] = round(time.perf_counter() - started, 2)


def load_crm(conn: psycopg.Connection, sizes: Sizes, ds: Dataset) -> None:
    from knox import crypto
    from knox.models import get_token_model
    from knox.settings import CONSTANTS

    from crm.models import AdminUnit, Contact, Conversation, Identity, Interaction, Role, User

    now = timezone.now()
    rng = random.Random(SEED)
    conn.execute("SET session_replication_role = replica")

    # --- units: Mongolia with UB's districts and khoroos and 21 aimags' soums -------------
    started = time.perf_counter()
    units: list[dict] = []

    def unit(parent: str, code: str, level: int, name: str) -> None:
        path = f"{parent}{code}/"
        uid = len(units) + 1
        units.append(
            {
                "id": uid,
                "code": code,
                "name": name,
                "name_en": name,
                "level": level,
                "parent_id": ds.units[parent] if parent else None,
                "path": path,
            }
        )
        ds.units[path] = uid

    unit("", "MN", 0, "Монгол Улс")
    unit("MN/", "UB", 1, "Улаанбаатар")
    for d in UB_DISTRICTS:
        unit("MN/UB/", d, 2, f"{d} дүүрэг")
        for k in range(1, KHOROOS_PER_DISTRICT + 1):
            unit(f"MN/UB/{d}/", f"{k:02d}", 3, f"{k}-р хороо")
            ds.leaf_paths.append(f"MN/UB/{d}/{k:02d}/")
    for a in range(1, AIMAGS + 1):
        unit("MN/", f"A{a:02d}", 1, f"Аймаг {a}")
        for s in range(1, SOUMS_PER_AIMAG + 1):
            unit(f"MN/A{a:02d}/", f"S{s:02d}", 2, f"Сум {s}")
            ds.leaf_paths.append(f"MN/A{a:02d}/S{s:02d}/")
    copy_rows(conn, AdminUnit, units, columns=list(units[0]), now=now)
    ds.counts["units"] = len(units)

    # --- staff: one password hash for all (PBKDF2 once, not per account) -------------------
    password = make_password(PASSWORD)
    users: list[dict] = []

    def user(username: str, role: str, path: str, team: str = "") -> None:
        uid = len(users) + 1
        users.append(
            {
                "id": uid,
                "username": username,
                "password": password,
                "role": role,
                "unit_id": ds.units[path],
                "is_active": True,
                "availability": "available",
                "team": team,
                "first_name": username,
                "last_name": "Bench",
                "date_joined": now,
            }
        )
        ds.users[username] = uid

    for i in range(1, AGENTS + 1):
        user(f"bench.agent{i:02d}", Role.AGENT, "MN/", team="hotline")
    user("bench.supervisor", Role.SUPERVISOR, "MN/")
    for d in UB_DISTRICTS:
        user(f"bench.district.{d.lower()}", Role.DISTRICT_WORKER, f"MN/UB/{d}/")
        user(f"bench.local.{d.lower()}01", Role.LOCAL_WORKER, f"MN/UB/{d}/01/")
    for a in range(1, AIMAGS + 1):
        user(f"bench.aimag{a:02d}", Role.DISTRICT_WORKER, f"MN/A{a:02d}/")
    copy_rows(conn, User, users, columns=list(users[0]), now=now)
    # API tokens as a login gives them (django-rest-knox: stored hashed, expiring).
    tokens = []
    for username, uid in ds.users.items():
        key = crypto.create_token_string()
        ds.tokens[username] = key
        tokens.append(
            {
                "digest": crypto.hash_token(key),
                "token_key": key[: CONSTANTS.TOKEN_KEY_LENGTH],
                "user_id": uid,
                "created": now,
                "expiry": now + dt.timedelta(days=2),
            }
        )
    copy_rows(conn, get_token_model(), tokens, columns=list(tokens[0]), now=now)
    ds.counts["staff"] = len(users)
    _timed(ds, "units_and_staff_s", started)

    # --- contacts and their two identities ------------------------------------------------
    started = time.perf_counter()
    people = list(datagen.people(sizes.contacts, SEED))
    # 60% of citizens in the capital's khoroos, the rest in aimag soums.
    ub_leaves = [p for p in ds.leaf_paths if p.startswith("MN/UB/")]
    aimag_leaves = [p for p in ds.leaf_paths if not p.startswith("MN/UB/")]
    contacts = []
    for i, person in enumerate(people, start=1):
        path = rng.choice(ub_leaves) if rng.random() < 0.6 else rng.choice(aimag_leaves)
        ds.contact_unit[i] = path
        ds.contact_phone[i] = person["phone"]
        ds.contact_national_id[i] = person["national_id"]
        contacts.append(
            {
                "id": i,
                "first_name": person["first_name"],
                "last_name": person["last_name"],
                "birth_date": person["birth_date"],
                "sex": person["sex"],
                "address_unit_id": ds.units[path],
                "preferred_language": "mn",
                "preferred_channel": "sms" if rng.random() < 0.8 else "voice",
                "lives_alone": rng.random() < 0.2,
                "consent_data_processing": True,
                "is_identified": True,
                "search_name": Contact.fold_name(person["last_name"], person["first_name"]),
                "created_at": now,
                "updated_at": now,
            }
        )
    copy_rows(conn, Contact, contacts, columns=list(contacts[0]), now=now)
    del contacts
    identities = (
        {"id": n, "contact_id": cid, "scheme": scheme, "value": value, "verified": True,
         "created_at": now}
        for n, (cid, scheme, value) in enumerate(
            (
                item
                for cid in range(1, sizes.contacts + 1)
                for item in (
                    (cid, Identity.Scheme.PHONE, ds.contact_phone[cid]),
                    (cid, Identity.Scheme.NATIONAL_ID, ds.contact_national_id[cid]),
                )
            ),
            start=1,
        )
    )  # fmt: skip
    ds.counts["identities"] = copy_rows(
        conn,
        Identity,
        identities,
        columns=["id", "contact_id", "scheme", "value", "verified", "created_at"],
        now=now,
    )
    ds.counts["contacts"] = sizes.contacts
    _timed(ds, "contacts_s", started)

    # --- interactions: skewed per contact, grouped into conversations per channel -------------
    started = time.perf_counter()
    weights = [min(rng.paretovariate(1.3), 300.0) for _ in range(sizes.contacts)]
    picks = rng.choices(range(1, sizes.contacts + 1), weights=weights, k=sizes.interactions)
    per_contact: dict[int, int] = {}
    for cid in picks:
        per_contact[cid] = per_contact.get(cid, 0) + 1
    ds.interactions_per_contact = per_contact
    channels = [c for c, _ in CHANNEL_WEIGHTS]
    channel_weights = [w for _, w in CHANNEL_WEIGHTS]
    agent_ids = [ds.users[f"bench.agent{i:02d}"] for i in range(1, AGENTS + 1)]
    span = 730 * 24 * 3600
    conversations: list[dict] = []
    interactions: list[tuple] = []
    for cid in sorted(per_contact):
        n = per_contact[cid]
        phone = ds.contact_phone[cid]
        threads: dict[str, dict] = {}
        offsets = sorted(rng.randrange(span) for _ in range(n))
        for offset in offsets:
            at = now - dt.timedelta(seconds=span - offset)
            channel = rng.choices(channels, channel_weights)[0]
            conv_id = None
            if channel in MESSAGE_CHANNELS:
                conv = threads.get(channel)
                if conv is None:
                    conv = {
                        "id": len(conversations) + 1,
                        "contact_id": cid,
                        "channel": channel,
                        "address": phone if channel == "sms" else str(100000 + cid),
                        "last_activity_at": at,
                        "created_at": at,
                    }
                    conversations.append(conv)
                    threads[channel] = conv
                conv["last_activity_at"] = at
                conv_id = conv["id"]
            interactions.append((cid, conv_id, channel, at))
    # The most recently active ~6% of threads are still open in the agents' inbox.
    recent = sorted(conversations, key=lambda c: c["last_activity_at"], reverse=True)
    live = len(recent) * 6 // 100
    # Agents hold a few live threads each (under their limit); the rest wait unassigned.
    held = {a: 0 for a in agent_ids}
    for rank, conv in enumerate(recent):
        if rank < live:
            conv["status"] = "open" if rng.random() < 0.8 else "pending"
            agent = rng.choice(agent_ids)
            conv["assignee_id"] = agent if held[agent] < 6 else None
            held[agent] += conv["assignee_id"] is not None
            conv["unread_count"] = rng.randrange(0, 4)
            conv["resolved_at"] = None
            conv["team"] = "hotline"
        else:
            conv["status"] = "resolved"
            conv["assignee_id"] = rng.choice(agent_ids)
            conv["unread_count"] = 0
            conv["resolved_at"] = conv["last_activity_at"]
            conv["team"] = "hotline"
    ds.counts["conversations"] = copy_rows(
        conn, Conversation, conversations, columns=list(conversations[0]), now=now
    )
    ds.counts["conversations_live"] = live
    del recent, conversations

    def interaction_rows(planned: list[tuple]):
        for n, (cid, conv_id, channel, at) in enumerate(planned, start=1):
            inbound = rng.random() < 0.6
            kind = "message" if channel in MESSAGE_CHANNELS else (
                "call" if channel == "voice" else ("kiosk_visit" if channel == "kiosk" else "note")
            )  # fmt: skip
            yield {
                "id": n,
                "contact_id": cid,
                "conversation_id": conv_id,
                "channel": channel,
                "direction": "in" if inbound else "out",
                "kind": kind,
                "body": datagen.MESSAGES[n % len(datagen.MESSAGES)],
                "address": ds.contact_phone[cid] if channel in ("sms", "voice") else "",
                "provider_message_id": f"SMb{n:030x}" if channel == "sms" else None,
                "status": "received" if inbound else "delivered",
                "author_id": None if inbound else agent_ids[n % len(agent_ids)],
                "occurred_at": at,
                "created_at": at,
            }

    ds.counts["interactions"] = copy_rows(
        conn,
        Interaction,
        interaction_rows(interactions),
        columns=[
            "id", "contact_id", "conversation_id", "channel", "direction", "kind", "body",
            "address", "provider_message_id", "status", "author_id", "occurred_at", "created_at",
        ],
        now=now,
    )  # fmt: skip
    del interactions
    _timed(ds, "interactions_s", started)
    for model in (AdminUnit, User, Contact, Identity, Conversation, Interaction):
        reset_sequence(conn, model)
    conn.execute("SET session_replication_role = DEFAULT")


CASE_STATUS_WEIGHTS = (
    ("draft", 15), ("submitted", 30), ("returned", 5), ("allocated", 5), ("waitlisted", 10),
    ("in_service", 25), ("discharged", 5), ("cancelled", 5),
)  # fmt: skip
PLACED = ("allocated", "waitlisted", "in_service", "discharged")


def _district_path(path: str) -> str:
    """The level-2 unit (UB district or aimag soum) a leaf unit belongs to."""
    return "/".join(path.strip("/").split("/")[:3]) + "/"


def load_cases(conn: psycopg.Connection, sizes: Sizes, ds: Dataset) -> None:
    from cases.models import Case, CaseEvent, Facility, Service, Ward

    now = timezone.now()
    today = timezone.localdate()
    rng = random.Random(SEED + 3)
    started = time.perf_counter()
    conn.execute("SET session_replication_role = replica")
    services = list(Service.objects.order_by("code").values_list("id", "workflow"))
    placement = [sid for sid, wf in services if wf == "placement"]
    allowance = [sid for sid, wf in services if wf != "placement"] or placement
    if not placement:
        raise RuntimeError("the service catalogue migration did not create a placement service")

    # --- facilities: three per UB district, one per aimag; one mixed ward each --------------
    facilities, wards = [], []
    homes: list[str] = [f"MN/UB/{d}/" for d in UB_DISTRICTS for _ in range(3)]
    homes += [f"MN/A{a:02d}/S01/" for a in range(1, AIMAGS + 1)]
    for n, path in enumerate(homes, start=1):
        facilities.append(
            {
                "id": n,
                "name": f"Асрамжийн газар {n}",
                "name_en": f"Care home {n}",
                "unit_id": ds.units[path],
                "accreditation": "accredited",
                "accreditation_valid_until": today + dt.timedelta(days=365),
                "is_active": True,
            }
        )
    ward_load = {n: {"occupied": 0, "reserved": 0} for n in range(1, len(homes) + 1)}

    # --- cases -----------------------------------------------------------------------------
    statuses = [s for s, _ in CASE_STATUS_WEIGHTS]
    weights = [w for _, w in CASE_STATUS_WEIGHTS]
    span = 730 * 24 * 3600
    cases, events = [], []
    submitted_ub: list[tuple[int, str]] = []
    for n in range(1, sizes.cases + 1):
        cid = rng.randrange(1, sizes.contacts + 1)
        path = ds.contact_unit[cid]
        district = _district_path(path)
        status = rng.choices(statuses, weights)[0]
        created = now - dt.timedelta(seconds=rng.randrange(span))
        is_placement = rng.random() < 0.7
        facility_id = None
        if is_placement and status in PLACED:
            facility_id = rng.randrange(1, len(homes) + 1)
            if status == "in_service":
                ward_load[facility_id]["occupied"] += 1
            elif status in ("allocated", "waitlisted"):
                ward_load[facility_id]["reserved"] += 1
        elif not is_placement and status in PLACED:
            status = "submitted"
        applicant = rng.randrange(1, sizes.contacts + 1) if rng.random() < 0.15 else None
        disabled = rng.random() < 0.4
        cases.append(
            {
                "id": n,
                "number": f"{created.year}-B{n:06d}",
                "service_id": rng.choice(placement if is_placement else allowance),
                "status": status,
                "beneficiary_id": cid,
                "applicant_id": applicant,
                "applicant_relationship": "child" if applicant else "",
                "origin_channel": rng.choice(("sms", "voice", "walk_in", "kiosk", "telegram")),
                "unit_id": ds.units[path],
                "district_id": ds.units[district],
                "reason_for_care": "Ганцаараа амьдардаг, асаргаа шаардлагатай",
                "has_disability": disabled,
                "disability_type": "хөдөлгөөний" if disabled else "",
                "disability_percent": rng.randrange(40, 100) if disabled else None,
                "urgency": rng.choice((0, 0, 0, 1, 1, 2, 3)),
                "priority_score": rng.randrange(0, 160),
                "facility_id": facility_id,
                "ward_id": facility_id,
                "due_date": (due := today + dt.timedelta(days=rng.randrange(-10, 30))),
                # Closing time in Ulaanbaatar (17:30 +08:00) of the due day.
                "due_at": dt.datetime.combine(due, dt.time(9, 30), tzinfo=dt.UTC),
                "submitted_at": None if status == "draft" else created + dt.timedelta(days=2),
                "status_changed_at": created + dt.timedelta(days=3),
                "created_at": created,
                "updated_at": created + dt.timedelta(days=3),
            }
        )
        if status != "draft":
            events.append(
                {
                    "id": len(events) + 1,
                    "case_id": n,
                    "action": "submit",
                    "from_status": "draft",
                    "to_status": "submitted",
                    "payload": {},
                    "occurred_at": created + dt.timedelta(days=2),
                }
            )
        if status == "submitted" and is_placement and path.startswith("MN/UB/"):
            submitted_ub.append((n, district))
    for n, load in ward_load.items():
        wards.append(
            {
                "id": n,
                "facility_id": n,
                "sex": "",
                "capacity": load["occupied"] + load["reserved"] + 25,
                "occupied": load["occupied"],
                "reserved": load["reserved"],
            }
        )
    copy_rows(conn, Facility, facilities, columns=list(facilities[0]), now=now)
    copy_rows(conn, Ward, wards, columns=list(wards[0]), now=now)
    ds.counts["cases"] = copy_rows(conn, Case, cases, columns=list(cases[0]), now=now)
    ds.counts["case_events"] = copy_rows(conn, CaseEvent, events, columns=list(events[0]), now=now)
    ds.counts["facilities"] = len(facilities)
    for model in (Facility, Ward, Case, CaseEvent):
        reset_sequence(conn, model)
    conn.execute("SET session_replication_role = DEFAULT")
    ds.extra["submitted_ub_cases"] = submitted_ub
    ds.extra["case_count_by_status"] = {
        s: sum(1 for c in cases if c["status"] == s) for s in statuses
    }
    del cases, events
    _timed(ds, "cases_s", started)
