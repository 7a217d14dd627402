"""``manage.py kiosk_register --unit <path or id> --name <name> [--json]``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from crm.errors import DomainError
from kiosk.devices import kiosk_register, unit_find


class Command(BaseCommand):
    help = (
        "Register a self-service kiosk at an administrative unit. Prints its device token and "
        "a one-time pairing code once: only their hashes are stored."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--unit", required=True, help="Unit id or path, e.g. MN/UB/SKH/07")
        parser.add_argument("--name", required=True, help="Where it stands, e.g. 'Khoroo 7 hall'")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, unit: str, name: str, json: bool = False, **options) -> None:
        try:
            credentials = kiosk_register(unit=unit_find(unit), name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        kiosk = credentials.kiosk
        result = {
            "id": kiosk.pk,
            "name": kiosk.name,
            "unit": kiosk.unit.path.rstrip("/"),
            "token": credentials.token,
            "pairing_code": credentials.pairing_code,
            "pairing_code_expires_at": kiosk.pairing_code_expires_at.isoformat(),
        }
        if json:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(f"Kiosk #{kiosk.pk} {kiosk.name!r} at {kiosk.unit.full_name}")
        self.stdout.write(f"Device token (shown once): {credentials.token}")
        self.stdout.write(
            f"Pairing code (open /kiosk/ on the device and enter it): {credentials.pairing_code}"
        )
        self.stdout.write(f"The pairing code expires at {result['pairing_code_expires_at']}.")


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)
