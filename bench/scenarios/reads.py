"""Figure 2: reads at scale, each as the staff member who does it, with the plan it runs.

Latency is measured over HTTP through the production server, one request at a time (one
wrk connection cycling through many different targets), so it is what one person waits.
Beside it, ``EXPLAIN (ANALYZE, BUFFERS)`` of the selector's main query shows which indexes
serve it and whether any large table is read in full.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from ..wrk import run_wrk

BIG_TABLES = (
    "crm_contact",
    "crm_identity",
    "crm_interaction",
    "crm_conversation",
    "cases_case",
    "cases_caseevent",
    "channels_app_outboundmessage",
)


def plan_summary(sql_plan: str) -> dict:
    """Indexes used and full scans of large tables, read from a text EXPLAIN plan."""
    indexes = sorted(set(re.findall(r"(?:Index(?: Only)? Scan(?: Backward)? using|"
                                    r"Bitmap Index Scan on) (\S+)", sql_plan)))  # fmt: skip
    seq = sorted(set(re.findall(r"Seq Scan on (\S+)", sql_plan)))
    big_seq = [t for t in seq if t in BIG_TABLES]
    times = re.findall(r"Execution Time: ([\d.]+) ms", sql_plan)
    return {
        "indexes": indexes,
        "seq_scans": seq,
        "seq_scans_on_large_tables": big_seq,
        "uses_index": bool(indexes) and not big_seq,
        "execution_ms": float(times[-1]) if times else None,
    }


def explain(queryset) -> dict:
    text = queryset.explain(analyze=True, buffers=True)
    return {"plan": text, **plan_summary(text)}


WARM_UP_SECONDS = 1


def _measure(base: str, work: Path, name: str, paths: list[str], header: tuple[str, str],
             seconds: int) -> dict:  # fmt: skip
    file = work / f"paths-{name}.txt"
    file.write_text("\n".join(paths) + "\n")
    # One unmeasured second first: each server process's first requests to a view (imports,
    # templates, the targets' first pages read from disk) are a cold start, not the read.
    run_wrk(
        url=base + paths[0],
        script="get_paths.lua",
        script_args=[str(file), header[0], header[1], "0"],
        seconds=WARM_UP_SECONDS,
        connections=1,
    )
    res = run_wrk(
        url=base + paths[0],
        script="get_paths.lua",
        script_args=[str(file), header[0], header[1], "0"],
        seconds=seconds,
        connections=1,
    )
    out = res.as_dict()
    out["distinct_targets"] = len(set(paths))
    return out


def run(*, base_url: str, work: Path, ds, sessions: dict[str, str], seconds: int,
        log=print) -> dict:  # fmt: skip
    from crm import selectors as crm_selectors
    from crm.models import Contact, User

    rng = random.Random(11)
    agent = User.objects.get(username="bench.agent01")
    token = ("Authorization", f"Token {ds.tokens['bench.agent01']}")
    results: dict[str, dict] = {}
    contact_ids = sorted(ds.contact_phone)
    sample = rng.sample(contact_ids, 200)

    # Contact lookups, the way an agent types them into the search box.
    log("reads: lookup by phone")
    paths = [f"/api/v1/contacts/?q={quote(ds.contact_phone[c])}" for c in sample]
    results["contact_by_phone"] = _measure(base_url, work, "phone", paths, token, seconds)
    results["contact_by_phone"]["explain"] = explain(
        crm_selectors.contacts_with_identities(
            crm_selectors.contact_search(user=agent, query=ds.contact_phone[sample[0]])
        ).order_by("last_name", "first_name", "id")
    )
    log("reads: lookup by national ID")
    paths = [f"/api/v1/contacts/?q={quote(ds.contact_national_id[c])}" for c in sample]
    results["contact_by_national_id"] = _measure(base_url, work, "natid", paths, token, seconds)
    results["contact_by_national_id"]["explain"] = explain(
        crm_selectors.contacts_with_identities(
            crm_selectors.contact_search(user=agent, query=ds.contact_national_id[sample[0]])
        ).order_by("last_name", "first_name", "id")
    )

    # Timelines: half the busiest citizens (hundreds of entries), half anyone.
    log("reads: contact timeline")
    busiest = sorted(ds.interactions_per_contact, key=ds.interactions_per_contact.get)[-100:]
    targets = busiest + rng.sample(contact_ids, 100)
    rng.shuffle(targets)
    paths = [f"/api/v1/contacts/{c}/timeline/" for c in targets]
    results["contact_timeline"] = _measure(base_url, work, "timeline", paths, token, seconds)
    heavy = Contact.objects.get(pk=busiest[-1])
    results["contact_timeline"]["explain"] = explain(
        crm_selectors.contact_timeline(contact=heavy)[:25]
    )
    results["contact_timeline"]["busiest_contact_interactions"] = ds.interactions_per_contact[
        busiest[-1]
    ]

    # The agents' inbox, first page, as the console renders it.
    if "bench.agent01" in sessions and _mounted("console.urls"):
        log("reads: agent inbox first page")
        cookie = ("Cookie", f"sessionid={sessions['bench.agent01']}")
        results["agent_inbox_first_page"] = _measure(
            base_url, work, "inbox", ["/console/inbox/"], cookie, seconds
        )
        from console import selectors as console_selectors

        results["agent_inbox_first_page"]["explain"] = explain(
            console_selectors.inbox(user=agent, filters=console_selectors.InboxFilters())[
                : console_selectors.INBOX_PAGE_SIZE
            ]
        )
    else:
        results["agent_inbox_first_page"] = {"skipped": "console not mounted"}

    # The inbox search box, as an agent types into it (the list fragment htmx fetches).
    if "bench.agent01" in sessions and _mounted("console.search"):
        log("reads: inbox search")
        cookie = ("Cookie", f"sessionid={sessions['bench.agent01']}")
        queries = _inbox_queries(ds, rng, sample)
        paths = [f"/console/inbox/list/?q={quote(q)}" for q in queries]
        results["inbox_search"] = _measure(base_url, work, "inbox-search", paths, cookie, seconds)
        results["inbox_search"]["target_p95_ms_under"] = INBOX_SEARCH_TARGET_MS
        results["inbox_search"]["query_kinds"] = sorted({kind for kind, _ in INBOX_QUERY_KINDS})
        from console import search as console_search
        from console import selectors as console_selectors

        # The slowest kind of part: words of a message, against a million interactions.
        listed = console_selectors.inbox(user=agent, filters=console_selectors.InboxFilters())
        results["inbox_search"]["explain"] = explain(
            console_search.search_parts(listed, queries[-1])[-1].order_by(
                "-last_activity_at", "-id"
            )[: console_selectors.INBOX_PAGE_SIZE + 1]
        )
    else:
        results["inbox_search"] = {"skipped": "console not mounted"}

    # The district worker's incoming (submitted) list.
    district_user = ds.extra.get("worklist_user")
    if district_user and _mounted("cases.selectors"):
        from cases import selectors as case_selectors

        worker = User.objects.get(username=district_user)
        if _mounted("console.urls"):
            log("reads: district incoming worklist (console page)")
            cookie = ("Cookie", f"sessionid={sessions[district_user]}")
            results["district_incoming_worklist"] = _measure(
                base_url, work, "worklist", ["/console/cases/?status=submitted"], cookie, seconds
            )
        if _mounted("cases.api.urls"):
            log("reads: district incoming worklist (API)")
            header = ("Authorization", f"Token {ds.tokens[district_user]}")
            results["district_incoming_worklist_api"] = _measure(
                base_url, work, "worklist-api", ["/api/v1/cases/?status=submitted"], header,
                seconds,
            )  # fmt: skip
        # The first page, as both the console and the API read it (25 rows).
        explained = explain(case_selectors.worklist(user=worker, status="submitted")[:25])
        for key in ("district_incoming_worklist", "district_incoming_worklist_api"):
            if key in results:
                results[key]["explain"] = explained
                results[key]["cases_in_list"] = ds.extra.get("worklist_size")
    else:
        results["district_incoming_worklist"] = {"skipped": "cases not loaded"}

    for res in results.values():
        if "p95_ms" in res:
            target = res.setdefault("target_p95_ms_under", 50)
            res["target_met"] = res["p95_ms"] < target and res["not_ok"] == 0
    connection.close()
    return results


INBOX_SEARCH_TARGET_MS = 100
# What agents type into the inbox search, in the mix measured (200 queries in all).
INBOX_QUERY_KINDS = (
    ("family name", 40),
    ("full name", 30),
    ("phone, national form", 40),
    ("national ID", 40),
    ("case number", 20),
    ("words of a message", 30),
)


def _inbox_queries(ds, rng: random.Random, sample: list[int]) -> list[str]:
    """Search texts of every kind for citizens of the data set; message words come last."""
    from cases.models import Case
    from crm.models import Contact

    from ..datagen import MESSAGES

    names = dict(
        (pk, (last, first))
        for pk, last, first in Contact.objects.filter(pk__in=sample).values_list(
            "pk", "last_name", "first_name"
        )
    )
    numbers = list(
        Case.objects.filter(beneficiary_id__in=sample).values_list("number", flat=True)[:20]
    )
    out: list[str] = []
    for kind, count in INBOX_QUERY_KINDS:
        for i in range(count):
            contact = sample[i % len(sample)]
            last, first = names.get(contact, ("", ""))
            if kind == "family name":
                out.append(last)
            elif kind == "full name":
                out.append(f"{last} {first}")
            elif kind == "phone, national form":
                digits = ds.contact_phone[contact].removeprefix("+976")
                out.append(f"{digits[:4]} {digits[4:]}")
            elif kind == "national ID":
                out.append(ds.contact_national_id[contact])
            elif kind == "case number" and numbers:
                out.append(numbers[i % len(numbers)])
            elif kind == "words of a message":
                words = MESSAGES[i % len(MESSAGES)].rstrip("?.!").split()
                start = rng.randrange(max(1, len(words) - 1))
                out.append(" ".join(words[start : start + 2]))
    return [q for q in out if q.strip()]


def _mounted(module: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False
