"""Recount the maintained case counts from the cases (after a bulk load, or to check them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cases.tally import tally_rebuild


class Command(BaseCommand):
    help = "Recount the case tally behind the casework figures from the cases table."

    def handle(self, *args, **options) -> None:
        wrong = tally_rebuild()
        if wrong:
            self.stdout.write(f"case tally: {wrong} group(s) recounted")
        else:
            self.stdout.write("case tally: every count agrees with the cases")
