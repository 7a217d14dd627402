"""Figure 3: case status changes -> outbox -> one Celery worker -> Twilio's API (stand-in).

The status changes are applied first, with the worker stopped, so the queue holds every
notification task (``case_notify``, queued on commit of each change); then a fresh worker
decides each notification (outbox row, or none when the citizen has no channel) and drains the
outbox through the real Twilio SDK (its transport pointed at the loopback stand-in). The
delivery rate is read off the stand-in's own clock (first to last message received), so neither
the producers nor the worker's start-up are in it. Every status change must be marked notified
(nothing lost), delivered must equal due (the outbox rows those decisions made), and no message
may arrive twice.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

PRODUCERS = 2
FULL_LISTENERS = 10  # changes per producer measured with the console's live push connected
PRODUCE_BUDGET_S = 240


def _standin(port: int, path: str, method: str = "GET") -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=b"" if method == "POST" else None)  # fmt: skip
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def run(*, env: dict, work: Path, ds, worker, count: int, twilio_port: int, start_worker,
        concurrency: int, log=print):  # fmt: skip
    from cases.models import CaseEvent
    from channels_app.models import CaseEventNotified, OutboundMessage

    candidates = ds.extra.get("submitted_ub_cases") or []
    if len(candidates) < count:
        return {"skipped": f"only {len(candidates)} submitted cases loaded"}, worker
    log("fan-out: stopping the worker while status changes queue up")
    worker.stop()
    _standin(twilio_port, "/__bench/reset", "POST")
    before = OutboundMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
    events_before = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    file = work / "fanout-cases.txt"
    file.write_text(
        "".join(
            f"{case_id} bench.district.{district.strip('/').split('/')[-1].lower()}\n"
            for case_id, district in candidates[:count]
        )
    )
    log(f"fan-out: {count} status changes (return) in {PRODUCERS} processes")
    started = time.perf_counter()
    producers = []
    for i in range(PRODUCERS):
        with open(work / f"producer-{i}.log", "wb") as err:
            producers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "bench.fanout_producer",
                        str(file),
                        str(i),
                        str(PRODUCERS),
                        str(FULL_LISTENERS),
                        str(PRODUCE_BUDGET_S),
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    text=True,
                    start_new_session=True,
                )
            )
    reports = []
    try:
        for p in producers:
            out, _ = p.communicate(timeout=PRODUCE_BUDGET_S + 120)
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for p in producers:
            if p.poll() is None:
                p.kill()
    produce_s = time.perf_counter() - started
    changed = sum(r["ok"] for r in reports)
    full_n = sum(r["full_listeners"] for r in reports)
    full_s = sum(r["full_listeners_seconds"] for r in reports)
    rest_n = changed - full_n
    rest_s = sum(r["seconds"] - r["full_listeners_seconds"] for r in reports)
    errors = Counter()
    for r in reports:
        errors.update(r["errors"])
    new = OutboundMessage.objects.filter(id__gt=before)
    events = CaseEvent.objects.filter(id__gt=events_before, action="return")
    changes = events.count()
    log(f"fan-out: {changed} changed in {produce_s:.1f} s; outbox before the worker: "
        f"{new.count()} rows")  # fmt: skip

    log("fan-out: starting one Celery worker")
    from .. import profiling

    worker = start_worker().start()
    worker_started = time.perf_counter()
    spy_out = work / "profile-fanout.raw"
    time.sleep(1.5)  # let the worker fork its pool before py-spy attaches
    spy = profiling.start(worker.pid, 15, spy_out)
    deadline = worker_started + 300
    last_seen, last_progress = None, time.perf_counter()
    decided = due = 0
    while time.perf_counter() < deadline:
        worker.check_alive()
        n = _standin(twilio_port, "/__bench/stats")["count"]
        decided = CaseEventNotified.objects.filter(event__in=events).count()
        # The stand-in takes texts; voice notifications (citizens who prefer a call) are
        # counted apart below.
        due = new.filter(channel="sms").exclude(status=OutboundMessage.Status.SUPPRESSED).count()
        if (n, decided, due) != last_seen:
            last_seen, last_progress = (n, decided, due), time.perf_counter()
        if (decided >= changes and n >= due) or time.perf_counter() - last_progress > 30:
            break
        time.sleep(0.5)
    statuses = Counter(new.values_list("status", flat=True))
    time.sleep(2)  # anything sent twice would arrive now
    profile = profiling.finish(spy, spy_out)
    stats = _standin(twilio_port, "/__bench/stats")
    drain_s = time.perf_counter() - worker_started
    sent = set(new.exclude(provider_message_id=None).values_list("provider_message_id", flat=True))
    received = stats["sids"]
    matched = sum(1 for s in received if s in sent)
    per_address = Counter(stats["to"])
    expected_per_address = Counter(
        new.filter(channel="sms").exclude(status="suppressed").values_list("address", flat=True)
    )
    doubled_addresses = sum(
        max(0, n - expected_per_address.get(a, 0)) for a, n in per_address.items()
    )
    span = (stats["last_at"] - stats["first_at"]) if stats["count"] > 1 else 0
    rate = (stats["count"] - 1) / span if span else 0.0
    final = Counter(new.filter(channel="sms").values_list("status", flat=True))
    other_channels = Counter(
        f"{channel} {status}"
        for channel, status in new.exclude(channel="sms").values_list("channel", "status")
    )
    delivered = stats["count"]
    result = {
        "status_changes": changed,
        "status_change_errors": dict(errors),
        "status_changes_per_second": round(changed / produce_s, 1) if produce_s else 0,
        "producers": PRODUCERS,
        "ms_per_change_all_listeners": round(1000 * full_s / full_n, 1) if full_n else None,
        "ms_per_change_without_console_push": round(1000 * rest_s / rest_n, 1) if rest_n else None,
        "notifications_decided": decided,
        "changes_without_notification_mark": changes - decided,
        "due": due,
        "suppressed": statuses.get(OutboundMessage.Status.SUPPRESSED, 0),
        "delivered": delivered,
        "delivered_matching_outbox": matched,
        "doubled": max(0, delivered - len(set(received)))
        + (delivered - matched)
        + doubled_addresses,
        "outbox_after": dict(final),
        "other_channels": dict(other_channels),
        "messages_per_second": round(rate, 1),
        "drain_seconds_from_worker_start": round(drain_s, 1),
        "worker_concurrency": concurrency,
        "profile_worker": profile,
        "targets": {
            "messages_per_second_at_least": 200,
            "met": rate >= 200 and decided == changes and delivered == due and matched == due,
        },
    }
    return result, worker
