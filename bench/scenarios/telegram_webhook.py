"""The Telegram webhook against the bare Django view, in the same run.

Each side is driven flat out for its saturation throughput, then at 80% of that rate for the
latency percentiles. Every update carries its own ``update_id`` and the webhook's secret, so
none is answered by the duplicate shortcut; the worker handles them behind the answer.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ..wrk import WrkResult, run_wrk

WEBHOOK_PATH = "/telegram/webhook"
BASELINE_PATH = "/bench/twiml"
TEXTS = [
    *["Сайн байна уу, эмээгийнхээ тэтгэмжийн талаар асуух гэсэн юм"] * 5,
    *["Миний хүсэлт ямар шатандаа байна вэ?"] * 4,
    "/start",
]


def write_updates(path: Path, *, count: int, first_id: int, user_ids: list[int], seed: int) -> int:
    """One Update per line, as the Bot API posts them, each with a fresh update_id."""
    from telegram_bot.management.commands.telegram_simulate import update_payload

    rng = random.Random(seed)
    with path.open("w") as out:
        for n in range(count):
            payload = update_payload(
                update_id=first_id + n,
                user_id=rng.choice(user_ids),
                first_name="Bench",
                language="mn",
                text=rng.choice(TEXTS),
            )
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
    return count


def _run(base: str, path: str, file: Path, secret: str, *, rate: float, seconds: int,
         conns: int) -> WrkResult:  # fmt: skip
    return run_wrk(
        url=base + path,
        script="telegram_post.lua",
        script_args=[str(file), path, secret, f"{rate:.3f}" if rate else "0"],
        seconds=seconds,
        connections=conns,
    )


def run(*, base_url: str, work: Path, secret: str, seconds: int, connections: int,
        log=print) -> dict:  # fmt: skip
    rng = random.Random(13)
    # Mostly returning users, some new ones (a new, unidentified contact each).
    user_ids = [rng.randrange(10**9, 8 * 10**9) for _ in range(5000)]
    next_id = [1_000_000]

    def updates(count: int) -> tuple[Path, int]:
        out = work / f"telegram-updates-{next_id[0]}.jsonl"
        n = write_updates(out, count=count, first_id=next_id[0], user_ids=user_ids, seed=next_id[0])
        next_id[0] += count
        return out, n

    log("telegram: warm-up")
    warm, _ = updates(2000)
    _run(base_url, WEBHOOK_PATH, warm, secret, rate=0, seconds=3, conns=connections)
    _run(base_url, BASELINE_PATH, warm, secret, rate=0, seconds=3, conns=connections)

    log("telegram: baseline saturation")
    base_sat = _run(base_url, BASELINE_PATH, warm, secret, rate=0, seconds=seconds,
                    conns=connections)  # fmt: skip
    sat_file, sat_n = updates(3000 * seconds)
    log("telegram: webhook saturation")
    hook_sat = _run(base_url, WEBHOOK_PATH, sat_file, secret, rate=0, seconds=seconds,
                    conns=connections)  # fmt: skip
    log(f"  baseline {base_sat.rps:.0f} req/s, telegram {hook_sat.rps:.0f} req/s")
    hook_rate = max(0.8 * hook_sat.rps, 0.1)
    paced_file, paced_n = updates(int(hook_rate * seconds * 1.2) + 100)
    log(f"telegram: webhook at 80% ({hook_rate:.0f}/s)")
    hook_80 = _run(base_url, WEBHOOK_PATH, paced_file, secret, rate=hook_rate, seconds=seconds,
                   conns=connections)  # fmt: skip

    ratio = hook_sat.rps / base_sat.rps if base_sat.rps else 0.0
    problems = []
    for name, res in (("telegram saturation", hook_sat), ("telegram 80%", hook_80)):
        if res.not_ok:
            problems.append(f"{name}: {res.not_ok} non-200 answers (e.g. {res.not_ok_example})")
        if any(res.socket_errors.values()):
            problems.append(f"{name}: socket errors {res.socket_errors}")
    reused = max(0, hook_sat.requests - sat_n) + max(0, hook_80.requests - paced_n)
    return {
        "baseline": {"saturation": base_sat.as_dict()},
        "telegram": {"saturation": hook_sat.as_dict(), "at_80pct": hook_80.as_dict()},
        "throughput_ratio": round(ratio, 3),
        "telegram_p50_ms_at_80pct": round(hook_80.p50_ms, 2),
        "telegram_p99_ms_at_80pct": round(hook_80.p99_ms, 2),
        "update_ids_reused": reused,
        "connections": connections,
        "seconds_per_run": seconds,
        "problems": problems,
    }
