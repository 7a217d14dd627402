"""The bench's own PostgreSQL database: dropped and made anew every run. No other is touched."""

from __future__ import annotations

import subprocess
import sys

import psycopg

from .benchenv import ADMIN_DSN, DB_NAME


def recreate_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def migrate(env: dict[str, str], *, timeout: float = 240) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        timeout=timeout,
    )
