"""The Django side of the delivery fault suite, run in its own process with the suite's env.

``create KIND COUNT``: COUNT citizens (one number each, so texts count per outbox row) and one
notification each, through ``message_send`` (the outbox row and the kick, to the suite's
private Redis). ``settle KIND TIMEOUT``: run the beat sweeps (re-queue, reconcile) every
second until no row of KIND is pending or sending; prints JSON with the seconds it took and
the rows by status.

Run: python -m bench.faults_driver create close 1000
"""

from __future__ import annotations

import json
import sys
import time

import django

KINDS = ("close", "429", "500", "hang", "kill-worker", "kill-redis")
BODY = "Your request was registered. Send STATUS to follow it. ({kind})"


def address(kind: str, i: int) -> str:
    return f"+97688{KINDS.index(kind)}{i:05d}"


def create(kind: str, count: int) -> None:
    from django.db import transaction

    from channels_app.outbound import message_send
    from crm.models import Contact, Identity

    contacts = Contact.objects.bulk_create(
        Contact(first_name="Fault", last_name=f"{kind}-{i}", consent_messages=True)
        for i in range(count)
    )
    Identity.objects.bulk_create(
        Identity(contact=c, scheme=Identity.Scheme.PHONE, value=address(kind, i))
        for i, c in enumerate(contacts)
    )
    for i, contact in enumerate(contacts):
        with transaction.atomic():
            message_send(
                contact=contact,
                channel="sms",
                address=address(kind, i),
                body=BODY.format(kind=kind),
                dedupe_key=f"bench-fault:{kind}:{i}",
            )
    print(json.dumps({"created": count}))


def settle(kind: str, timeout: float) -> None:
    from django.db.models import Count

    from channels_app.models import OutboundMessage
    from channels_app.tasks import outbound_reconcile_sending, outbound_requeue_pending

    rows = OutboundMessage.objects.filter(dedupe_key__startswith=f"bench-fault:{kind}:")
    started = time.monotonic()
    open_statuses = (OutboundMessage.Status.PENDING, OutboundMessage.Status.SENDING)
    while rows.filter(status__in=open_statuses).exists():
        if time.monotonic() - started > timeout:
            break
        for sweep in (outbound_requeue_pending, outbound_reconcile_sending):
            try:
                sweep()
            except Exception as exc:  # the broker may still be down: the next round retries
                print(f"sweep {sweep.__name__}: {exc}", file=sys.stderr)
        time.sleep(1.0)
    by_status = dict(rows.values_list("status").annotate(n=Count("id")))
    print(
        json.dumps(
            {
                "settle_s": round(time.monotonic() - started, 1),
                "by_status": by_status,
                "addresses": list(rows.values_list("address", flat=True)),
            }
        )
    )


def main() -> None:
    from bench.twilio_transport import install

    install()  # reconciliation reads the stand-in's message list through the SDK
    django.setup()
    command, kind, value = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "create":
        create(kind, int(value))
    else:
        settle(kind, float(value))


if __name__ == "__main__":
    main()
