"""Idempotent demo data for both countries, built by each app's own ``demo.seed``."""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.context import DemoContext


def _seeders():
    # INSTALLED_APPS order is dependency order (crm before cases before channels).
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        try:
            spec = find_spec(module_name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            module = import_module(module_name)
            if hasattr(module, "seed"):
                yield config.label, module.seed


@contextmanager
def _quiet_task_logs():
    """Seeding runs real notifications and console reactions: their per-task log lines would
    bury the accounts table an operator runs this command to read."""
    loggers = [logging.getLogger(name) for name in ("celery", "celery.app.trace", "celery.task")]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, saved, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load demo data: administrative units of Mongolia and Kazakhstan, facilities, "
        "services, staff of every role (printed with passwords), citizens and cases in every "
        "status. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="print the staff accounts as a JSON list"
        )

    def handle(self, *args, **options):
        context = DemoContext()
        with _quiet_task_logs(), transaction.atomic():
            for label, seed in _seeders():
                seed(context)
                if not options["json"]:
                    self.stdout.write(f"seeded {label}")
        if options["json"]:
            self.stdout.write(json.dumps(context.accounts, ensure_ascii=False, indent=2))
            return
        for note in context.notes:
            self.stdout.write(note)
        # The table comes last, so it is what an operator sees when the command ends.
        self.stdout.write(
            self.style.SUCCESS("\nStaff accounts (username / password / role / unit):")
        )
        for account in context.accounts:
            self.stdout.write(
                f"  {account['username']:<22} {account['password']:<18} "
                f"{account['role']:<18} {account['unit']}"
            )
