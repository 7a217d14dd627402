"""Figure: the console worker's throughput, inbound messages a second assigned and pushed.

COUNT citizens' messages are stored first (``bench.console_producer``) while no worker
listens on the ``console`` queue, so every reaction (auto-assignment of the conversation,
live pushes to every console that may see it) waits there; then one worker for that queue
starts, and the rate is the reactions over the time from its first to its last (the queue
and Celery's unacknowledged set both empty).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import redis

from ..procs import Managed, wait_until

QUEUE = "console"
BUDGET_S = 300


def run(*, env: dict, work: Path, count: int, concurrency: int, log=print) -> dict:
    from channels_app.models import InboundDelivery

    server = redis.Redis.from_url(env["REDIS_URL"], socket_timeout=5)
    # An earlier figure's webhook deliveries are still being processed (each queues reactions
    # of its own): wait for them, so nothing else adds to the queue while it is measured.
    waiting = InboundDelivery.objects.filter(status__in=["received", "retrying"])
    wait_until(lambda: not waiting.exists(), timeout=BUDGET_S, what="earlier deliveries")
    # No console worker runs during the rest of the bench, so every earlier figure's messages
    # left their reactions on the queue (tens of thousands after the webhook figures): dropped,
    # so the figure is this one's messages alone. (Nobody listens for those pushes here.)
    dropped = server.llen(QUEUE)
    server.delete(QUEUE)
    log(f"console worker: {count} inbound messages queue their reactions "
        f"({dropped} left by earlier figures dropped)")  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "bench.console_producer", str(count)],
        env=env,
        check=True,
        timeout=BUDGET_S,
        capture_output=True,
    )
    queued = server.llen(QUEUE)
    if not queued:
        return {"error": "no console reactions were queued"}
    worker = Managed(
        "console-worker",
        [sys.executable, "-m", "bench.celery_worker", "-Q", QUEUE, "--loglevel=WARNING",
         f"--concurrency={concurrency}", "--pool=prefork", "-n", f"console-{time.time_ns()}@%h",
         "--without-gossip", "--without-mingle"],
        env=env, log_dir=work,
    ).start()  # fmt: skip
    try:
        deadline = time.monotonic() + BUDGET_S
        while server.llen(QUEUE) >= queued and time.monotonic() < deadline:
            worker.check_alive()
            time.sleep(0.05)
        started = time.monotonic()
        while time.monotonic() < deadline:
            if server.llen(QUEUE) == 0 and server.hlen("unacked") == 0:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        # Within the budget or not, what the worker got through (unacknowledged ones aside).
        done = queued - server.llen(QUEUE) - server.hlen("unacked")
    finally:
        worker.stop()
    from crm.models import Conversation

    assigned = Conversation.objects.filter(
        interactions__provider_message_id__startswith="SMbenchconsole", assignee__isnull=False
    ).count()
    return {
        "reactions": done,
        "queued": queued,
        "seconds": round(elapsed, 2),
        "per_second": round(done / elapsed, 1) if elapsed else None,
        "conversations_assigned": assigned,
        "earlier_reactions_dropped": dropped,
        "concurrency": concurrency,
    }
