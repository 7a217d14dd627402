"""Database deadlines for work that is allowed to run longer than a web request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction


@contextmanager
def statement_timeout(milliseconds: int | None = None) -> Iterator[None]:
    """Run the block in a transaction whose statements may take up to ``milliseconds``.

    Web requests run under DATABASE_STATEMENT_TIMEOUT; a long report or export wraps its
    queries here to get REPORT_STATEMENT_TIMEOUT instead (SET LOCAL: it ends with the block).
    """
    limit = int(milliseconds or settings.REPORT_STATEMENT_TIMEOUT)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {limit}")
        yield
