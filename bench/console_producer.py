"""Citizens' messages for the console worker's figure: COUNT inbound SMS from new senders.

Each is stored through the core's inbound entry, which after commit queues one console
reaction (auto-assignment and live pushes) on the ``console`` queue, where no worker listens
yet. Run: python -m bench.console_producer COUNT
"""

from __future__ import annotations

import json
import sys

import django


def main() -> None:
    django.setup()
    from django.db import transaction

    from crm.models import Identity
    from crm.services import inbound_message_record

    count = int(sys.argv[1])
    for i in range(count):
        with transaction.atomic():
            inbound_message_record(
                channel="sms",
                scheme=Identity.Scheme.PHONE,
                address=f"+97695{i:06d}",
                body="Сайн байна уу, асрамжийн газрын талаар асуух гэсэн юм",
                provider_message_id=f"SMbenchconsole{i:08d}",
            )
    print(json.dumps({"messages": count}))


if __name__ == "__main__":
    main()
