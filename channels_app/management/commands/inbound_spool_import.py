"""Import webhook requests a fallback URL kept while the database was unreachable."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from channels_app.spool import spool_import


class Command(BaseCommand):
    help = (
        "Store the webhook requests kept in Redis or in INBOUND_SPOOL_DIR during a database "
        "outage (Celery beat does this every 30 s; run it on a web node whose spool directory "
        "the workers cannot see)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{spool_import()} request(s) imported")
