"""Bulk loading with PostgreSQL COPY (psycopg 3), driven by the Django models' own metadata.

Rows are given as dicts keyed by field attname; every column the caller leaves out gets the
model field's default (or NULL / "" / now, as Django would), so a field another app adds
later does not break the loader, and a field with no sensible default stops it with a message
naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import psycopg
from django.db import models
from psycopg.types.json import Jsonb


class LoaderError(RuntimeError):
    pass


def _fill_value(model: type[models.Model], field: models.Field, now: dt.datetime) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now.date() if type(field) is models.DateField else now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.blank and isinstance(field, models.CharField | models.TextField):
        return ""
    raise LoaderError(
        f"bench loader: {model._meta.label}.{field.name} is required and has no default; "
        "give it a value in bench/load.py"
    )


def copy_rows(
    conn: psycopg.Connection,
    model: type[models.Model],
    rows: Iterable[dict],
    *,
    columns: list[str],
    now: dt.datetime,
) -> int:
    """COPY ``rows`` (dicts with exactly ``columns`` as keys) into the model's table."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise LoaderError(f"{model._meta.label} has no fields {sorted(unknown)}")
    fill = {
        name: _fill_value(model, field, now)
        for name, field in fields.items()
        if name not in columns and not field.primary_key
    }
    names = [*columns, *fill]
    json_cols = {i for i, n in enumerate(names) if isinstance(fields[n], models.JSONField)}
    fill_values = list(fill.values())
    sql = 'COPY "{}" ({}) FROM STDIN'.format(
        model._meta.db_table, ", ".join(f'"{fields[n].column}"' for n in names)
    )
    count = 0
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            values = [row[c] for c in columns] + fill_values
            for i in json_cols:
                values[i] = Jsonb(values[i])
            copy.write_row(values)
            count += 1
    return count


def reset_sequence(conn: psycopg.Connection, model: type[models.Model]) -> None:
    """After loading explicit ids, let the app's own inserts continue above them."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    conn.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "
        f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
    )
