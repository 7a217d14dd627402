"""Inbound SMS requests exactly as Twilio sends them, signed ahead of time.

Signing happens before the load starts so the load generator only replays bytes; each body
has its own ``MessageSid``, so no request is answered from the duplicate-webhook shortcut.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from sms.payloads import twilio_inbound_fields

INBOUND_PATH = "/sms/twilio/inbound"


def signed_bodies(
    *,
    count: int,
    run_tag: str,
    senders: list[str],
    texts: Iterable[str],
    url: str,
    auth_token: str,
    account_sid: str,
    to: str,
    seed: int = 1,
) -> Iterator[tuple[str, str]]:
    """(X-Twilio-Signature, form body) pairs with unique MessageSids for one load run."""
    validator = RequestValidator(auth_token)
    rng = random.Random(seed)
    texts = list(texts)
    for n in range(count):
        # 34 characters like a real SID; the tag keeps separate runs apart.
        sid = f"SM{run_tag}{n:0{32 - len(run_tag)}x}"
        params = twilio_inbound_fields(
            sid=sid, sender=rng.choice(senders), to=to, body=rng.choice(texts),
            account_sid=account_sid,
        )  # fmt: skip
        yield validator.compute_signature(url, params), urlencode(params)


def write_request_file(path: Path, pairs: Iterable[tuple[str, str]]) -> int:
    """One request per line: signature TAB body (neither can hold a tab or a newline)."""
    n = 0
    with path.open("w") as out:
        for signature, body in pairs:
            out.write(f"{signature}\t{body}\n")
            n += 1
    return n
