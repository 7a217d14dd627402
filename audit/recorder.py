"""Writing audit rows: changes at once, reads collected per request and written after it.

A change is written where it happens, so it shares the change's transaction when there is
one. Reads are collected while the request runs and written in one multi-row INSERT after
the response has gone out (the middleware), so auditing adds no round trip to the page the
person waits for. On PostgreSQL that INSERT skips waiting for the disk flush
(``synchronous_commit = off`` for that statement only): a database crash in that fraction
of a second is the only way to lose one, and nothing else is slowed by it.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from .models import AuditEntry, Via

logger = logging.getLogger(__name__)


@dataclass
class Origin:
    """Where the current request comes from; set by the middleware for its duration."""

    via: str = Via.SYSTEM
    ip: str | None = None
    pending: list[AuditEntry] = field(default_factory=list)
    # Pending reads whose citizen is looked up at the write: id(row) -> (object type, id).
    subjects: dict[int, tuple[str, object]] = field(default_factory=dict)


_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def enabled() -> bool:
    return getattr(settings, "AUDIT_ENABLED", True)


def current_origin() -> Origin:
    return _origin.get() or Origin()


def set_origin(origin: Origin | None):
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_username": ""}
    return {"actor": actor, "actor_username": actor.get_username()}


def entry(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: object = "",
    contact_id: int | None = None,
    object_ids: list | None = None,
    reason: str = "",
    detail: str = "",
    origin: Origin | None = None,
) -> AuditEntry:
    origin = origin or current_origin()
    return AuditEntry(
        **_actor_fields(actor),
        via=origin.via,
        ip=origin.ip,
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        object_ids=list(object_ids or []),
        contact_id=contact_id,
        reason=(reason or "")[:255],
        detail=(detail or "")[:100],
    )


def audit_record(**kwargs) -> AuditEntry | None:
    """Write one row now, inside the caller's transaction if there is one."""
    if not enabled():
        return None
    row = entry(**kwargs)
    row.save()
    return row


_COLUMNS = (
    "at",
    "actor_id",
    "actor_username",
    "via",
    "ip",
    "action",
    "detail",
    "object_type",
    "object_id",
    "object_ids",
    "contact_id",
    "reason",
)


def _insert_postgresql(rows: list[AuditEntry]) -> None:
    """One statement, no transaction block of its own, and no wait for the disk flush.

    ``set_config(..., true)`` in RETURNING turns ``synchronous_commit`` off for this
    statement's own implicit transaction only; a third of the CPU of ``bulk_create`` in an
    ``atomic`` block with ``SET LOCAL`` (measured: about 0.4 ms against 1 ms per batch).
    """
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    params: list = []
    for row in rows:
        params += [
            row.at,
            row.actor_id,
            row.actor_username,
            row.via,
            row.ip,
            row.action,
            row.detail,
            row.object_type,
            row.object_id,
            json.dumps(row.object_ids),
            row.contact_id,
            row.reason,
        ]
    sql = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES {', '.join([one] * len(rows))} "
        "RETURNING set_config('synchronous_commit', 'off', true)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def write_batch(rows: list[AuditEntry]) -> None:
    if not rows:
        return
    try:
        if connection.vendor == "postgresql":
            _insert_postgresql(rows)
        else:
            AuditEntry.objects.bulk_create(rows)
    except Exception:
        # Never lose the trace silently: the log keeps what the table could not.
        logger.exception(
            "audit rows not written: %s",
            [(r.actor_username, r.action, r.object_type, r.object_id) for r in rows],
        )
