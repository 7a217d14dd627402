"""Figure 1: the inbound SMS webhook against a bare Django view, in the same run.

Each side is driven flat out to find its saturation throughput, then at 80% of that rate
(paced by the wrk script) for the latency percentiles. Every webhook request carries its own
``MessageSid``, validly signed, so none is answered by the duplicate shortcut.

The webhook stores each delivery for the Celery worker, which on this 2-core machine runs
beside the server and would take about a core from it while the webhook is measured, but not
while the bare view is. The throughput comparison is therefore made with the worker frozen
(both sides then have the same cores: it measures what the webhook itself costs); the same
saturation run is repeated with the worker processing alongside. The p99 at the fixed rate
is measured first, with the worker running and processing each delivery as it comes, as a
citizen's text would meet it; and once more at the end, while the worker drains the
thousands the saturation runs left (the worst case, reported beside it).

The machine is shared, and its speed drifts by half within a minute (the baseline's own runs
do). One saturation run of each side, one after the other, then compares two different
machines: the saturation figure is taken in rounds, each a baseline run and a webhook run back
to back, alternating which goes first, and the ratio reported is the median of the rounds'.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from ..signing import INBOUND_PATH, signed_bodies, write_request_file
from ..wrk import WrkResult, run_wrk

BASELINE_PATH = "/bench/twiml"
# The offered rate at which the contract's p99 is measured (requests a second).
FIXED_RATE = 100.0
# Saturation rounds (baseline and webhook back to back in each); odd, for a plain median.
ROUNDS = 3
# What citizens text: mostly free text for the agents, some keywords the system answers.
TEXTS = [
    *["Сайн байна уу, миний хүсэлт ямар шатандаа байна вэ?"] * 5,
    *["Ээжийгээ асрамжийн газарт оруулах талаар асуух гэсэн юм"] * 5,
    "СТАТУС",
    "status",
    "ТУСЛАМЖ",
    "help",
]


class SidBudget:
    """Hands out request files whose MessageSids are never reused across runs."""

    def __init__(self, *, work: Path, senders: list[str], auth_token: str, account_sid: str,
                 to: str, public_base_url: str):  # fmt: skip
        self.work = work
        self.senders = senders
        self.auth_token = auth_token
        self.account_sid = account_sid
        self.to = to
        self.public_base_url = public_base_url
        self.runs = 0

    def file(self, *, count: int, path: str) -> tuple[Path, int]:
        self.runs += 1
        tag = f"{self.runs:02x}"
        out = self.work / f"requests-{tag}.txt"
        n = write_request_file(
            out,
            signed_bodies(
                count=count,
                run_tag=tag,
                senders=self.senders,
                texts=TEXTS,
                url=self.public_base_url + path,
                auth_token=self.auth_token,
                account_sid=self.account_sid,
                to=self.to,
                seed=self.runs,
            ),
        )
        return out, n


def _run(base: str, path: str, file: Path, *, rate: float, seconds: int, conns: int) -> WrkResult:
    return run_wrk(
        url=base + path,
        script="signed_post.lua",
        script_args=[str(file), path, f"{rate:.3f}" if rate else "0"],
        seconds=seconds,
        connections=conns,
    )


def run(
    *,
    base_url: str,
    work: Path,
    phones: list[str],
    auth_token: str,
    account_sid: str,
    to: str,
    public_base_url: str,
    seconds: int,
    connections: int,
    server_pid: int | None = None,
    worker_paused: Callable[[], AbstractContextManager] | None = None,
    backlog_drained: Callable[[], object] | None = None,
    log=print,
) -> dict:
    from .. import profiling

    rng = random.Random(7)
    known = rng.sample(phones, min(len(phones), 20000))
    # One in ten senders is a number we have never seen (a new, unidentified contact).
    unknown = [f"+97688{n:06d}" for n in rng.sample(range(10**6), 2000)]
    budget = SidBudget(work=work, senders=known + unknown, auth_token=auth_token,
                       account_sid=account_sid, to=to, public_base_url=public_base_url)  # fmt: skip
    # Generous: a saturated webhook on 2 cores will not reach 3,000 requests a second.
    sat_bodies = 3000 * seconds

    log("webhook: warm-up")
    warm, _ = budget.file(count=2000, path=INBOUND_PATH)
    _run(base_url, INBOUND_PATH, warm, rate=0, seconds=3, conns=connections)
    _run(base_url, BASELINE_PATH, warm, rate=0, seconds=3, conns=connections)

    # The contract's latency figure: a fixed offered rate, the same for both sides, the worker
    # running and processing each delivery as it comes (what a citizen's text meets), after
    # it has caught up with the warm-up's.
    if backlog_drained is not None:
        backlog_drained()
    fixed = FIXED_RATE
    log(f"webhook: baseline at a fixed {fixed:.0f}/s")
    base_fixed = _run(base_url, BASELINE_PATH, warm, rate=fixed, seconds=seconds,
                      conns=connections)  # fmt: skip
    fixed_file, fixed_n = budget.file(count=int(fixed * seconds * 1.2) + 100, path=INBOUND_PATH)
    log(f"webhook: inbound at a fixed {fixed:.0f}/s, the worker running")
    hook_fixed = _run(base_url, INBOUND_PATH, fixed_file, rate=fixed, seconds=seconds,
                      conns=connections)  # fmt: skip

    frozen = worker_paused or contextlib.nullcontext
    # Half as long as the other runs: the rounds' webhook runs store half again as much as one
    # run of ``seconds``, which the worker drains afterwards.
    round_seconds = max(3, -(-seconds // 2))
    with frozen():
        rounds = []
        for n in range(ROUNDS):
            sat_file, sat_n = budget.file(count=3000 * round_seconds, path=INBOUND_PATH)
            runs = {}
            # No profiler attached while timing: py-spy takes most of a core on this 2-core
            # machine, which the baseline run would not pay. The profile is its own run below.
            order = ("baseline", "inbound") if n % 2 == 0 else ("inbound", "baseline")
            targets = {"baseline": (BASELINE_PATH, warm), "inbound": (INBOUND_PATH, sat_file)}
            for side in order:
                log(f"webhook: {side} saturation, round {n + 1} of {ROUNDS} (Celery worker frozen)")
                path, file = targets[side]
                runs[side] = _run(base_url, path, file, rate=0, seconds=round_seconds,
                                  conns=connections)  # fmt: skip
            base, hook = runs["baseline"], runs["inbound"]
            ratio = hook.rps / base.rps if base.rps else 0.0
            log(f"  baseline {base.rps:.0f} req/s, inbound {hook.rps:.0f} req/s ({ratio:.0%})")
            rounds.append({"first": order[0], "baseline": base, "inbound": hook, "ratio": ratio,
                           "bodies": sat_n})  # fmt: skip
        median = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]
        base_sat, hook_sat = median["baseline"], median["inbound"]

        # Never 0 (which would mean "flat out" to the wrk script).
        base_rate = max(0.8 * base_sat.rps, 0.1)
        hook_rate = max(0.8 * hook_sat.rps, 0.1)
        log(f"webhook: baseline at 80% ({base_rate:.0f}/s)")
        base_80 = _run(base_url, BASELINE_PATH, warm, rate=base_rate, seconds=seconds,
                       conns=connections)  # fmt: skip
        paced_file, paced_n = budget.file(count=int(hook_rate * seconds * 1.2) + 100,
                                          path=INBOUND_PATH)  # fmt: skip
        log(f"webhook: inbound at 80% ({hook_rate:.0f}/s)")
        hook_80 = _run(base_url, INBOUND_PATH, paced_file, rate=hook_rate, seconds=seconds,
                       conns=connections)  # fmt: skip

    # The same saturation with the worker working through what was stored, on the same cores.
    shared_file, shared_n = budget.file(count=sat_bodies, path=INBOUND_PATH)
    log("webhook: inbound saturation, Celery worker processing alongside")
    hook_shared = _run(base_url, INBOUND_PATH, shared_file, rate=0, seconds=seconds,
                       conns=connections)  # fmt: skip
    log(f"  inbound {hook_shared.rps:.0f} req/s with the worker busy")

    # The same offered rate again while the worker drains everything the saturation runs
    # stored (thousands of deliveries, on the same two cores): measured, the worst case.
    drain_file, drain_n = budget.file(count=int(fixed * seconds * 1.2) + 100, path=INBOUND_PATH)
    log(f"webhook: inbound at a fixed {fixed:.0f}/s while the worker drains a backlog")
    hook_fixed_backlog = _run(base_url, INBOUND_PATH, drain_file, rate=fixed, seconds=seconds,
                              conns=connections)  # fmt: skip

    profile: dict = {"skipped": "no server pid"}
    if server_pid:
        log("webhook: inbound flat out again, py-spy sampling the server (not timed)")
        spy_file, _ = budget.file(count=int(hook_sat.rps * seconds * 2) + 500, path=INBOUND_PATH)
        spy_out = work / "profile-webhook.raw"
        spy = profiling.start(server_pid, seconds, spy_out)
        _run(base_url, INBOUND_PATH, spy_file, rate=0, seconds=seconds, conns=connections)
        profile = profiling.finish(spy, spy_out)

    ratio = median["ratio"]
    problems = []
    runs = (
        *((f"inbound saturation, round {n + 1}", r["inbound"]) for n, r in enumerate(rounds)),
        ("inbound saturation, worker alongside", hook_shared),
        ("inbound 80%", hook_80),
        ("inbound fixed", hook_fixed),
        ("inbound fixed, worker draining a backlog", hook_fixed_backlog),
    )
    for name, res in runs:
        if res.not_ok:
            problems.append(f"{name}: {res.not_ok} non-200 answers (e.g. {res.not_ok_example})")
        if any(res.socket_errors.values()):
            problems.append(f"{name}: socket errors {res.socket_errors}")
    reused = (
        sum(max(0, r["inbound"].requests - r["bodies"]) for r in rounds)
        + max(0, hook_80.requests - paced_n)
        + max(0, hook_fixed.requests - fixed_n)
        + max(0, hook_fixed_backlog.requests - drain_n)
        + max(0, hook_shared.requests - shared_n)
    )
    return {
        "baseline": {
            "saturation": base_sat.as_dict(),
            "at_80pct": base_80.as_dict(),
            "at_fixed_rate": base_fixed.as_dict(),
        },
        "inbound": {
            "saturation": hook_sat.as_dict(),
            "at_80pct": hook_80.as_dict(),
            "at_fixed_rate": hook_fixed.as_dict(),
            "at_fixed_rate_worker_draining_backlog": hook_fixed_backlog.as_dict(),
            "saturation_worker_alongside": hook_shared.as_dict(),
        },
        "saturation_rounds": [
            {
                "first": r["first"],
                "baseline_rps": round(r["baseline"].rps, 1),
                "inbound_rps": round(r["inbound"].rps, 1),
                "ratio": round(r["ratio"], 3),
                "baseline_machine_busy": round(r["baseline"].machine_cpu_busy, 2),
                "inbound_machine_busy": round(r["inbound"].machine_cpu_busy, 2),
                "baseline_machine_stolen": round(r["baseline"].machine_cpu_stolen, 2),
                "inbound_machine_stolen": round(r["inbound"].machine_cpu_stolen, 2),
            }
            for r in rounds
        ],
        "saturation_seconds_per_round_run": round_seconds,
        "worker_frozen_for": "saturation and 80% runs of both sides"
        if worker_paused
        else "never (no worker handle given)",
        "throughput_ratio_worker_alongside": round(
            hook_shared.rps / base_sat.rps if base_sat.rps else 0.0, 3
        ),
        "fixed_rate": fixed,
        "inbound_p50_ms_at_fixed_rate": round(hook_fixed.p50_ms, 2),
        "inbound_p99_ms_at_fixed_rate": round(hook_fixed.p99_ms, 2),
        "inbound_p99_ms_at_fixed_rate_worker_draining_backlog": round(hook_fixed_backlog.p99_ms, 2),
        "throughput_ratio": round(ratio, 3),
        "inbound_p50_ms_at_80pct": round(hook_80.p50_ms, 2),
        "inbound_p99_ms_at_80pct": round(hook_80.p99_ms, 2),
        "achieved_rate_at_80pct": round(hook_80.rps, 1),
        "message_sids_reused": reused,
        "connections": connections,
        "seconds_per_run": seconds,
        "problems": problems,
        "profile_inbound_saturation": profile,
        "targets": {
            "ratio_at_least": 0.5,
            "p99_ms_under": 50,
            "ratio_met": ratio >= 0.5,
            "p99_met": hook_fixed.p99_ms < 50,
        },
    }
