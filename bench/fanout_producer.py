"""Apply case status changes through the one transition service, as the district office would.

Run by the fan-out figure in a few processes at once:
python -m bench.fanout_producer <file of "case_id username" lines> <index> <of> <full> <budget s>
The first <full> changes run with every listener connected, and their cost is reported; for
the rest the console's live-push listeners are disconnected in this process only (they cost
~1 s a change at this scale, see the report), so the outbox fills in bounded time. The
notification listener, the outbox and the Celery hand-off stay exactly as deployed.
Prints one JSON line: how many changed, failed, and how long it took.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    import django

    django.setup()
    from cases.models import Case
    from cases.transitions import case_apply_action
    from crm.models import User

    path, index, of = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    full, budget = int(sys.argv[4]), float(sys.argv[5])
    lines = open(path).read().split()  # noqa: SIM115
    pairs = list(zip(lines[::2], lines[1::2], strict=True))[index::of]
    users = {u.username: u for u in User.objects.filter(username__in={u for _, u in pairs})}
    ok, failed, errors = 0, 0, {}
    started = time.perf_counter()
    full_seconds = 0.0
    for n, (case_id, username) in enumerate(pairs):
        if n == full:
            full_seconds = time.perf_counter() - started
            _disconnect_console()
        if time.perf_counter() - started > budget:
            break
        try:
            case_apply_action(
                case=Case(pk=int(case_id)),
                action="return",
                actor=users[username],
                payload={
                    "reason_code": "missing_document",
                    "reason": "Эмнэлгийн магадлагаа дутуу байна",
                },
            )
            ok += 1
        except Exception as exc:  # counted and reported, the run goes on
            failed += 1
            key = f"{exc.__class__.__name__}: {str(exc)[:80]}"
            errors[key] = errors.get(key, 0) + 1
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "ok": ok,
                "failed": failed,
                "seconds": seconds,
                "errors": errors,
                "full_listeners": min(full, len(pairs)),
                "full_listeners_seconds": full_seconds,
            }
        )
    )


def _disconnect_console() -> None:
    from cases.events import case_created, case_transitioned
    from crm.events import conversation_changed, interaction_recorded

    for signal, uid in (
        (interaction_recorded, "console.interaction_recorded"),
        (conversation_changed, "console.conversation_changed"),
        (case_created, "console.case_created"),
        (case_transitioned, "console.case_transitioned"),
    ):
        signal.disconnect(dispatch_uid=uid)


if __name__ == "__main__":
    main()
