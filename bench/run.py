"""One command for every figure: ``./bench/run.sh`` (or ``.venv/bin/python -m bench.run``).

From nothing: a fresh PostgreSQL database (``welfare_bench``) and Redis DB 9, migrations, the
bulk load, then the production server (gunicorn + 2 uvicorn workers, DEBUG off), one Celery
worker and a loopback stand-in for Twilio's API; wrk drives the load from its own process.
Everything started here is stopped here, on success, failure or Ctrl-C, and every wait is
bounded. Prints one JSON object and a table; writes both to bench/results/latest.{json,md}.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


def _machine() -> str:
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=None, help="default 200,000 x scale")
    parser.add_argument("--interactions", type=int, default=None, help="default 1,000,000 x scale")
    parser.add_argument("--cases", type=int, default=None, help="default 100,000 x scale")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="data size as a multiple of the base (5: 1M contacts, 5M interactions, 500,000 "
        "cases); the read figures are compared with the last base-scale run's",
    )
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run of the webhook")
    parser.add_argument("--read-seconds", type=int, default=5, help="per read figure")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument(
        "--server",
        choices=("asgi", "wsgi"),
        default="asgi",
        help="asgi: gunicorn + uvicorn workers (the contract's production server); "
        "wsgi: gunicorn gthread workers, 4 threads each, for comparison",
    )
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--twilio-latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--only",
        default="",
        help=(
            "comma list: webhook,telegram,reads,supervisor,audit,allocation,fanout,console,"
            "ivr,faults"
        ),
    )
    parser.add_argument(
        "--fault-notifications", type=int, default=1000, help="per fault class (faults)"
    )
    parser.add_argument("--console-messages", type=int, default=2000, help="console worker")
    parser.add_argument("--keep-db", action="store_true", help="leave welfare_bench for study")
    parser.add_argument(
        "--budget", type=int, default=None, help="seconds before giving up (1500 x scale)"
    )
    args = parser.parse_args(argv)
    args.contacts = args.contacts if args.contacts is not None else int(200_000 * args.scale)
    args.interactions = (
        args.interactions if args.interactions is not None else int(1_000_000 * args.scale)
    )
    args.cases = args.cases if args.cases is not None else int(100_000 * args.scale)
    # Loading 5x the data takes about 5x as long: the bigger scale has its own time bound.
    args.budget = args.budget if args.budget is not None else int(1500 * max(args.scale, 1))

    from .benchenv import FORWARDED_HEADERS, bench_environment, free_port

    started = time.monotonic()
    server_port, twilio_port = free_port(), free_port()
    env = bench_environment(twilio_api_port=twilio_port)
    os.environ.update(env)
    only = set(filter(None, args.only.split(",")))

    def wanted(name: str) -> bool:
        return not only or name in only

    # A hard stop for the whole run: the finally block below still stops every process.
    def _overrun(signum, frame):
        raise TimeoutError(f"bench run exceeded its budget of {args.budget} s")

    signal.signal(signal.SIGALRM, _overrun)
    signal.alarm(args.budget)
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(KeyboardInterrupt()))

    from . import database, procs

    work = Path(tempfile.mkdtemp(prefix="welfare-bench-"))
    result: dict = {"meta": {}, "figures": {}, "problems": []}
    _, cpu_total0, cpu_stolen0 = procs.machine_busy()
    processes: list[procs.Managed] = []
    exit_code = 0
    try:
        log(f"work dir {work}; server 127.0.0.1:{server_port}, twilio stand-in :{twilio_port}")
        _preflight()
        log("database: recreate welfare_bench and migrate")
        database.recreate_database()
        database.migrate(env)
        _flush_redis(env["REDIS_URL"])
        if "faults" in only:  # minutes of kills and retries: only when asked for
            from .scenarios import faults

            result["figures"]["delivery_faults"] = _guard(
                "faults",
                lambda: faults.run(
                    env=env,
                    work=work,
                    count=args.fault_notifications,
                    concurrency=args.worker_concurrency,
                    log=log,
                ),
                result,
            )
            if only == {"faults"}:
                result["meta"]["server"] = "none (the fault suite runs its own worker and Redis)"
                raise _Done

        import django

        django.setup()
        from .load import Dataset, Sizes, load_cases, load_crm

        sizes = Sizes(contacts=args.contacts, interactions=args.interactions, cases=args.cases)
        ds = Dataset()
        import psycopg

        log(f"load: {sizes.contacts} contacts, {sizes.interactions} interactions (COPY)")
        t0 = time.perf_counter()
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            load_crm(conn, sizes, ds)
        # COPY bypasses the services that keep each conversation's inbox facts (last words,
        # waiting time, last reply): fill them set-based, as the migration does for old rows.
        from crm.conversation_facts import conversation_facts_refresh

        started = time.perf_counter()
        conversation_facts_refresh()
        ds.timings["conversation_facts_s"] = round(time.perf_counter() - started, 2)
        if _importable("cases.models") and sizes.cases:
            log(f"load: {sizes.cases} cases")
            with psycopg.connect(env["DATABASE_URL"]) as conn:
                load_cases(conn, sizes, ds)
        if _importable("cases.tally") and sizes.cases:
            # COPY bypasses Case.save(): count the loaded cases into the maintained tally,
            # as the case_tally_reconcile command does after any bulk load.
            from cases.tally import tally_rebuild

            tally_rebuild()
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            # The load's gigabytes of WAL leave a checkpoint spread over the next minutes
            # (checkpoint_completion_target): its writes would slow every commit of the first
            # figures (the webhook commits each delivery), not the bare view. Done now, at once.
            conn.execute("CHECKPOINT")
        ds.timings["total_load_s"] = round(time.perf_counter() - t0, 1)
        log(f"load: done in {ds.timings['total_load_s']} s {ds.counts}")
        _prepare(ds)

        standin = procs.Managed(
            "twilio-standin",
            [sys.executable, "-m", "bench.twilio_standin", "--port", str(twilio_port),
             "--latency-ms", str(args.twilio_latency_ms)],
            env=env, log_dir=work,
        ).start()  # fmt: skip
        processes.append(standin)
        if args.server == "asgi":
            app = ["config.asgi:application", "-k", "uvicorn_worker.UvicornWorker"]
            server_text = f"gunicorn {args.workers} x uvicorn worker (ASGI)"
        else:
            app = ["config.wsgi:application", "-k", "gthread", "--threads", "4"]
            server_text = f"gunicorn {args.workers} x gthread worker, 4 threads (WSGI)"
        server = procs.Managed(
            "server",
            [str(BIN / "gunicorn"), *app, "-w", str(args.workers),
             "-b", f"127.0.0.1:{server_port}", "--graceful-timeout", "5", "--timeout", "60",
             "--log-level", "warning"],
            env=env, log_dir=work,
        ).start()  # fmt: skip
        processes.append(server)
        worker = _celery_worker(env, work, args.worker_concurrency).start()
        processes.append(worker)
        procs.wait_for_port(twilio_port, timeout=15, process=standin)
        procs.wait_for_port(server_port, timeout=120, process=server)
        base_url = f"http://127.0.0.1:{server_port}"
        from . import wrk

        wrk.SERVER_PGID = server.pid
        _wait_ready(base_url, FORWARDED_HEADERS)
        log("server ready")

        result["meta"] = {
            "server": f"{server_text}, DEBUG off, PostgreSQL 15 + Redis on loopback",
        }
        sessions = _sessions(ds)

        if wanted("webhook"):
            result["figures"]["inbound_sms_webhook"] = _guard(
                "webhook",
                lambda: _webhook(args, base_url, work, ds, env, server.pid, worker.paused),
                result,
            )
        if wanted("telegram"):
            from .scenarios import telegram_webhook

            result["figures"]["telegram_webhook"] = _guard(
                "telegram",
                lambda: telegram_webhook.run(
                    base_url=base_url,
                    work=work,
                    secret=env["TELEGRAM_WEBHOOK_SECRET"],
                    seconds=args.seconds,
                    connections=args.connections,
                    log=log,
                ),
                result,
            )
        if wanted("webhook") or wanted("telegram"):
            # The webhooks stored thousands of deliveries the worker still processes: the read
            # figures below would otherwise be measured beside that backlog.
            result["figures"]["inbound_backlog"] = _guard(
                "backlog", lambda: _inbound_backlog_drain(log), result
            )
        if wanted("reads"):
            from .scenarios import reads

            result["figures"]["reads"] = _guard(
                "reads",
                lambda: reads.run(
                    base_url=base_url,
                    work=work,
                    ds=ds,
                    sessions=sessions,
                    seconds=args.read_seconds,
                    log=log,
                ),
                result,
            )
        if wanted("audit"):
            from .scenarios import audit_cost

            result["figures"]["audit_cost"] = _guard(
                "audit",
                lambda: audit_cost.run(
                    base_url=base_url,
                    env=env,
                    work=work,
                    ds=ds,
                    server_pid=server.pid,
                    workers=args.workers,
                    seconds=args.read_seconds,
                    log=log,
                ),
                result,
            )
        if wanted("supervisor") and _importable("console.supervisor"):
            from .scenarios import supervisor

            result["figures"]["supervisor_desk"] = _guard(
                "supervisor",
                lambda: supervisor.run(
                    base_url=base_url, work=work, ds=ds, seconds=args.read_seconds, log=log
                ),
                result,
            )
        if wanted("fanout"):
            from .scenarios import fanout

            def _fanout():
                nonlocal worker
                out, worker = fanout.run(
                    env=env, work=work, ds=ds, worker=worker, count=args.notifications,
                    twilio_port=twilio_port,
                    start_worker=lambda: _celery_worker(env, work, args.worker_concurrency),
                    concurrency=args.worker_concurrency, log=log,
                )  # fmt: skip
                processes.append(worker)
                return out

            result["figures"]["notification_fanout"] = _guard("fanout", _fanout, result)
        if wanted("console"):
            from .scenarios import console_worker

            result["figures"]["console_worker"] = _guard(
                "console",
                lambda: console_worker.run(
                    env=env,
                    work=work,
                    count=args.console_messages,
                    concurrency=args.worker_concurrency,
                    log=log,
                ),
                result,
            )
        if wanted("ivr"):
            result["figures"]["ivr_step"] = _guard(
                "ivr", lambda: _ivr(args, base_url, work, ds, env), result
            )
        # Last: 100 simultaneous requests leave the ASGI workers holding their connections.
        if wanted("allocation"):
            from .scenarios import allocation

            result["figures"]["allocation_contention"] = _guard(
                "allocation",
                lambda: allocation.run(base_url=base_url, ds=ds, log=log),
                result,
            )
        for p in (standin, server, worker):
            if not p.alive():
                result["problems"].append(f"{p.name} died during the run; see its log")
        result["meta"].update(
            {
                "data": ", ".join(f"{v:,} {k}" for k, v in ds.counts.items()),
                "load_timings_s": ds.timings,
                "counts": ds.counts,
            }
        )
    except _Done:
        pass
    except BaseException as exc:  # report and still stop everything
        exit_code = 1
        result["problems"].append(f"run aborted: {exc.__class__.__name__}: {exc}")
        log(traceback.format_exc())
        for p in processes:
            if not p.alive() or isinstance(exc, Exception):
                tail = p.tail(15)
                if tail:
                    log(f"--- {p.name} log tail ---\n{tail}")
    finally:
        signal.alarm(0)
        for p in reversed(processes):
            p.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not args.keep_db:
            with contextlib.suppress(Exception):
                database.drop_database()
        with contextlib.suppress(Exception):
            _flush_redis(env["REDIS_URL"])
    _, cpu_total, cpu_stolen = procs.machine_busy()
    result["meta"].update(
        {
            # Of the machine's CPU over the whole run, the share the hypervisor gave other
            # guests: on a noisy host every figure is slower than the code makes it.
            "cpu_stolen_share": round(
                (cpu_stolen - cpu_stolen0) / max(cpu_total - cpu_total0, 1), 3
            ),
            "finished_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": _machine(),
            "took_s": round(time.monotonic() - started, 1),
            "command": "./bench/run.sh " + " ".join(argv if argv is not None else sys.argv[1:]),
            "logs": str(work),
        }
    )
    result["meta"].setdefault("server", "not started")
    result["meta"].setdefault("data", "not loaded")
    result["meta"]["scale"] = args.scale
    _compare_scales(result, args.scale)
    _write(result)
    return exit_code


class _Done(Exception):
    """Everything asked for is measured: skip the rest, still clean up and report."""


def _guard(name: str, fn, result: dict) -> dict:
    """One figure failing must not cost the others."""
    try:
        return fn()
    except Exception as exc:
        log(f"{name} failed:\n{traceback.format_exc()}")
        result["problems"].append(f"{name}: {exc.__class__.__name__}: {exc}")
        return {"error": f"{exc.__class__.__name__}: {exc}"}


def _webhook(
    args, base_url: str, work: Path, ds, env: dict, server_pid: int, worker_paused
) -> dict:
    if not _importable("sms.urls"):
        return {"skipped": "sms.urls not present"}
    from .benchenv import PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER
    from .scenarios import webhook

    return webhook.run(
        base_url=base_url,
        work=work,
        phones=list(ds.contact_phone.values()),
        auth_token=env["TWILIO_AUTH_TOKEN"],
        account_sid=TWILIO_ACCOUNT_SID,
        to=TWILIO_FROM_NUMBER,
        public_base_url=PUBLIC_BASE_URL,
        seconds=args.seconds,
        connections=args.connections,
        server_pid=server_pid,
        worker_paused=worker_paused,
        backlog_drained=lambda: _inbound_backlog_drain(log),
        log=log,
    )


def _ivr(args, base_url: str, work: Path, ds, env: dict) -> dict:
    from .benchenv import PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER
    from .scenarios import ivr_steps

    return ivr_steps.run(
        base_url=base_url, work=work, phones=list(ds.contact_phone.values()),
        auth_token=env["TWILIO_AUTH_TOKEN"], account_sid=TWILIO_ACCOUNT_SID,
        to=TWILIO_FROM_NUMBER, public_base_url=PUBLIC_BASE_URL, seconds=args.seconds, log=log,
    )  # fmt: skip


def _inbound_backlog_drain(log, budget_s: float = 600) -> dict:
    """Wait until the worker has processed every stored delivery; report how fast it went."""
    from channels_app.models import InboundDelivery

    waiting = InboundDelivery.objects.filter(
        status__in=(InboundDelivery.Status.RECEIVED, InboundDelivery.Status.RETRYING)
    )
    started = time.monotonic()
    first = left = waiting.count()
    log(f"inbound backlog: {first} deliveries waiting for the worker")
    while left and time.monotonic() - started < budget_s:
        time.sleep(2)
        left = waiting.count()
    seconds = time.monotonic() - started
    return {
        "waiting_at_start": first,
        "waiting_at_end": left,
        "seconds": round(seconds, 1),
        "processed_per_second": round((first - left) / seconds, 1) if seconds else None,
    }


def _celery_worker(env: dict, work: Path, concurrency: int):
    from .procs import Managed

    return Managed(
        "celery-worker",
        [sys.executable, "-m", "bench.celery_worker", "--loglevel=WARNING",
         f"--concurrency={concurrency}", "--pool=prefork", "-n", f"bench-{os.getpid()}@%h",
         "--without-gossip", "--without-mingle"],
        env=env, log_dir=work,
    )  # fmt: skip


def _importable(module: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _preflight() -> None:
    import redis

    from .wrk import wrk_path

    wrk_path()
    import psycopg

    from .benchenv import ADMIN_DSN, REDIS_URL

    with psycopg.connect(ADMIN_DSN, connect_timeout=5) as conn:
        conn.execute("SELECT 1")
    redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()


def _flush_redis(url: str) -> None:
    import redis

    from .benchenv import REDIS_URL

    assert url == REDIS_URL, "the bench only ever flushes its own Redis DB"
    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def _wait_ready(base_url: str, headers: dict) -> None:
    import urllib.request

    from .procs import wait_until

    def ready() -> bool:
        try:
            req = urllib.request.Request(base_url + "/ready/", headers=headers)
            with urllib.request.urlopen(req, timeout=2) as resp:
                return resp.status == 200
        except Exception:
            return False

    wait_until(ready, timeout=120, what="the server's /ready/")


def _prepare(ds) -> None:
    """Pick the district worker whose incoming list is longest (the worst case)."""
    if "submitted_ub_cases" not in ds.extra:
        return
    per_district: dict[str, int] = {}
    for _, district in ds.extra["submitted_ub_cases"]:
        per_district[district] = per_district.get(district, 0) + 1
    from django.db.models import Count

    from cases.models import Case

    rows = (
        Case.objects.filter(status="submitted", district__path__startswith="MN/UB/")
        .values("district__path")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    top = rows[0]
    code = top["district__path"].strip("/").split("/")[-1].lower()
    ds.extra["worklist_user"] = f"bench.district.{code}"
    ds.extra["worklist_size"] = top["n"]


def _sessions(ds) -> dict[str, str]:
    """Signed-in console sessions, made the way Django's login makes them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from crm.models import User

    out = {}
    for username in ("bench.agent01", ds.extra.get("worklist_user")):
        if not username:
            continue
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out[username] = store.session_key
    return out


def _compare_scales(result: dict, scale: float) -> None:
    """Keep each scale's read figures; at a bigger scale, how p95 grew since the base run's."""
    reads = result["figures"].get("reads")
    if not reads:
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    p95 = {k: v["p95_ms"] for k, v in reads.items() if isinstance(v, dict) and "p95_ms" in v}
    (RESULTS / f"reads-scale-{scale:g}.json").write_text(json.dumps(p95, indent=2) + "\n")
    base_file = RESULTS / "reads-scale-1.json"
    if scale == 1 or not base_file.exists():
        return
    base = json.loads(base_file.read_text())
    result["figures"]["reads_growth"] = {
        key: {
            "base_p95_ms": base[key],
            "p95_ms": value,
            "growth": round(value / base[key], 2) if base[key] else None,
            "target_growth_under": 1.5,
        }
        for key, value in p95.items()
        if key in base
    }


def _write(result: dict) -> None:
    from .report import plans, profiles, table

    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, default=str)
    (RESULTS / "latest.json").write_text(text + "\n")
    md = table(result)
    (RESULTS / "latest.md").write_text(
        "# Bench results\n\n" + md + profiles(result) + plans(result)
    )
    slim = json.loads(text)
    for read in slim["figures"].get("reads", {}).values():
        if isinstance(read, dict) and "explain" in read:
            read["explain"].pop("plan", None)
    print(json.dumps(slim, default=str))
    print()
    print(md)


if __name__ == "__main__":
    sys.exit(main())
