"""The IVR's first step (an incoming call) against the bare view, at one fixed rate.

Each request is a new call: its own ``CallSid``, the form fields Twilio Voice posts, signed
beforehand over ``PUBLIC_BASE_URL`` + path. The step stores the call, its timeline entry and
its answer, and renders the greeting and menu (or the language choice). Both sides are paced
at the same rate, so the percentiles compare like with like.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from ..signing import write_request_file
from ..wrk import WrkResult, run_wrk

VOICE_PATH = "/ivr/twilio/voice"
BASELINE_PATH = "/bench/twiml"
RATE = 20  # calls answered per second: a busy hotline's peak, with room to spare


def call_params(*, sid: str, caller: str, to: str, account_sid: str) -> dict[str, str]:
    """The form fields Twilio Voice posts for an incoming call (API 2010-04-01)."""
    return {
        "AccountSid": account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": "ringing",
        "Called": to,
        "CalledCountry": "MN",
        "Caller": caller,
        "CallerCountry": "MN",
        "Direction": "inbound",
        "From": caller,
        "FromCountry": "MN",
        "To": to,
        "ToCountry": "MN",
    }


def signed_calls(*, count: int, tag: str, callers: list[str], url: str, auth_token: str,
                 account_sid: str, to: str) -> Iterator[tuple[str, str]]:  # fmt: skip
    validator = RequestValidator(auth_token)
    rng = random.Random(11)
    for n in range(count):
        sid = f"CA{tag}{n:0{32 - len(tag)}x}"
        params = call_params(sid=sid, caller=rng.choice(callers), to=to, account_sid=account_sid)
        yield validator.compute_signature(url, params), urlencode(params)


def _paced(base: str, path: str, file: Path, *, seconds: int, conns: int) -> WrkResult:
    return run_wrk(
        url=base + path,
        script="signed_post.lua",
        script_args=[str(file), path, f"{RATE:.3f}"],
        seconds=seconds,
        connections=conns,
    )


def run(*, base_url: str, work: Path, phones: list[str], auth_token: str, account_sid: str,
        to: str, public_base_url: str, seconds: int, log=print) -> dict:  # fmt: skip
    rng = random.Random(13)
    # Most callers are on file; one in five is a number we have never seen.
    callers = rng.sample(phones, min(len(phones), 5000))
    callers += [f"+97688{n:06d}" for n in rng.sample(range(10**6), 1000)]
    count = RATE * seconds * 2 + 200  # never reused within a run
    files = {}
    for tag in ("a1", "b2"):
        files[tag] = work / f"ivr-{tag}.txt"
        write_request_file(
            files[tag],
            signed_calls(count=count, tag=tag, callers=callers, url=public_base_url + VOICE_PATH,
                         auth_token=auth_token, account_sid=account_sid, to=to),
        )  # fmt: skip
    conns = 4
    log("ivr: warm-up")
    _paced(base_url, VOICE_PATH, files["a1"], seconds=3, conns=conns)
    log(f"ivr: bare view at {RATE}/s")
    base = _paced(base_url, BASELINE_PATH, files["b2"], seconds=seconds, conns=conns)
    log(f"ivr: first step at {RATE}/s")
    step = _paced(base_url, VOICE_PATH, files["b2"], seconds=seconds, conns=conns)
    problems = []
    if step.not_ok:
        problems.append(f"ivr step: {step.not_ok} non-200 answers (e.g. {step.not_ok_example})")
    return {
        "rate_per_s": RATE,
        "baseline": base.as_dict(),
        "ivr_first_step": step.as_dict(),
        "ivr_p50_ms": round(step.p50_ms, 2),
        "ivr_p99_ms": round(step.p99_ms, 2),
        "baseline_p50_ms": round(base.p50_ms, 2),
        "baseline_p99_ms": round(base.p99_ms, 2),
        "problems": problems,
    }


def report_line(figure: dict) -> str:
    if "ivr_p99_ms" not in figure:
        return f"| IVR first step | {figure.get('skipped') or figure.get('error')} | | | |"
    step = figure["ivr_first_step"]
    return (
        f"| IVR first step (incoming call) at {figure['rate_per_s']}/s | "
        f"p50 {figure['ivr_p50_ms']:.1f} ms, p99 {figure['ivr_p99_ms']:.1f} ms "
        f"({step['rps']:.0f} req/s achieved) | p99 < 200 ms | bare TwiML view at the same "
        f"rate: p50 {figure['baseline_p50_ms']:.1f}, p99 {figure['baseline_p99_ms']:.1f} ms | "
        f"{'yes' if figure['ivr_p99_ms'] < 200 and not figure['problems'] else '**NO**'} |"
    )
