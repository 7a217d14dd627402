"""Keeping a signed webhook request when the database is unreachable, for a sweep to import.

A provider's fallback URL (Twilio: ``POST /sms/twilio/fallback``, called when the primary URL
failed) must not need the database, which is usually why the primary failed. The request's
fields are kept in a Redis list, or, with Redis unreachable too, in a file in
``INBOUND_SPOOL_DIR`` (written whole, then renamed into place). ``spool_import`` (Celery beat,
and ``manage.py inbound_spool_import`` on a web node whose spool directory the workers cannot
see) stores each through ``inbound_accept`` like the primary webhook would have: a request
kept twice, or also delivered by the primary, is stored once.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

import redis
from django.conf import settings

from .intake import inbound_accept
from .registry import channel_type_get

logger = logging.getLogger(__name__)

SPOOL_KEY = "channels:inbound-spool"


def _redis() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    # Short timeouts: this runs inside a provider's request, when something is already wrong.
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1, retry_on_timeout=False
    )


def spool_keep(*, channel: str, fields: dict) -> str:
    """Keep one signed request's fields; returns where ("redis" or "file")."""
    record = json.dumps({"channel": channel, "fields": fields}, ensure_ascii=False)
    client = _redis()
    if client is not None:
        try:
            client.rpush(SPOOL_KEY, record)
            return "redis"
        except redis.RedisError as exc:
            logger.warning("spool: Redis unreachable (%s), writing a file", exc)
    directory = Path(settings.INBOUND_SPOOL_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.json"  # imported in arrival order
    with tempfile.NamedTemporaryFile(
        "w", dir=directory, prefix=".", suffix=".tmp", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(record)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, directory / name)
    return "file"


def _accept(record: str) -> None:
    data = json.loads(record)
    channel = data["channel"]
    provider_id, sender, payload = channel_type_get(channel).inbound_delivery_of(data["fields"])
    inbound_accept(channel=channel, provider_id=provider_id, sender=sender, payload=payload)


def spool_import() -> int:
    """Store the kept requests as inbound deliveries; returns how many were imported.

    At most ``INBOUND_SPOOL_IMPORT_LIMIT`` a run. A record that cannot be read is logged and
    set aside (Redis: moved to ``<key>:bad``; a file: renamed ``.bad``), never dropped.
    """
    limit = settings.INBOUND_SPOOL_IMPORT_LIMIT
    imported = 0
    client = _redis()
    if client is not None:
        try:
            while imported < limit:
                # Read, store, then remove: a crash in between imports it twice, stored once.
                record = client.lindex(SPOOL_KEY, 0)
                if record is None:
                    break
                try:
                    _accept(record)
                except (ValueError, KeyError, LookupError):
                    logger.exception("spool: unreadable record set aside")
                    client.rpush(SPOOL_KEY + ":bad", record)
                else:
                    imported += 1
                client.lpop(SPOOL_KEY)
        except redis.RedisError as exc:
            logger.warning("spool: Redis unreachable (%s); files only this time", exc)
    directory = Path(settings.INBOUND_SPOOL_DIR)
    if directory.is_dir():
        for path in sorted(directory.glob("*.json"))[: max(limit - imported, 0)]:
            try:
                _accept(path.read_text(encoding="utf-8"))
            except (ValueError, KeyError, LookupError):
                logger.exception("spool: unreadable file %s set aside", path.name)
                path.rename(path.with_suffix(".bad"))
                continue
            path.unlink()
            imported += 1
    if imported:
        logger.warning("spool: imported %s webhook requests kept during an outage", imported)
    return imported
