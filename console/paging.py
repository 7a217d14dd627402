"""Paging for the console's long lists, without COUNT(*) over national tables.

- The inbox moves while an agent reads it (new messages lift conversations to the top), so it
  pages by keyset: "older than this conversation" (its last activity and id). A page never
  repeats or skips a row because others moved above it.
- Worklists change slowly and are read in a fixed order (the district's queue), so they page
  by number, reading one row more than shown to know whether a next page exists.
- Counts stop at ``COUNT_LIMIT``: "1000+" says enough and costs a bounded read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connections
from django.db.models import Model, Q, QuerySet

from crm.ids import parse_id

T = TypeVar("T", bound=Model)

COUNT_LIMIT = 1000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Bounded:
    """A count (or sum) read only up to a limit; prints "1000+" when there is more."""

    value: int
    exact: bool = True

    def __str__(self) -> str:
        return str(self.value) if self.exact else f"{self.value}+"

    def __int__(self) -> int:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


def bounded_count(qs: QuerySet, limit: int | None = None) -> Bounded:
    # COUNT(*) over a LIMIT subquery without ORDER BY: at most ``limit + 1`` rows are read.
    limit = COUNT_LIMIT if limit is None else limit
    counted = qs.order_by().values("pk")[: limit + 1].count()
    return Bounded(min(counted, limit), exact=counted <= limit)


def bounded_figures(
    parts: dict[str, tuple[QuerySet, str | None]], limit: int | None = None
) -> dict[str, Bounded]:
    """Several bounded counts (field None) or sums (field named) in one round trip.

    Each part is the same aggregate over a ``LIMIT limit + 1`` subquery as ``bounded_count``
    and ``bounded_sum``; here each is a one-row derived table of a single SELECT, so a page's
    headline figures cost one query instead of one each.
    """
    limit = COUNT_LIMIT if limit is None else limit
    using = next(iter(parts.values()))[0].db
    quote = connections[using].ops.quote_name
    tables: list[str] = []
    params: list = []
    for i, (qs, field) in enumerate(parts.values()):
        inner = qs.order_by().values("pk", *([field] if field else []))[: limit + 1]
        sql, inner_params = inner.query.get_compiler(using=using).as_sql()
        total = f"SUM(x.{quote(field)})" if field else "0"
        tables.append(f"(SELECT COUNT(*) AS n, {total} AS total FROM ({sql}) x) t{i}")
        params.extend(inner_params)
    columns = ", ".join(f"t{i}.n, t{i}.total" for i in range(len(tables)))
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {', '.join(tables)}", params)
        row = cursor.fetchone()
    figures = {}
    for i, (name, (_, field)) in enumerate(parts.items()):
        counted, total = row[2 * i] or 0, row[2 * i + 1] or 0
        exact = counted <= limit
        # A sum past the limit is over limit + 1 rows: still a lower bound of the whole.
        figures[name] = Bounded(int(total) if field else min(counted, limit), exact=exact)
    return figures


# --- keyset (the inbox) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in a list ordered by (a timestamp descending, id descending)."""

    at: dt.datetime
    pk: int

    def __str__(self) -> str:
        # Whole microseconds since the epoch: exact (no float), short, URL-safe.
        return f"{(self.at - _EPOCH) // _MICROSECOND}.{self.pk}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """The cursor in ``text``, or None when it is missing or not one of ours."""
        micros, _, pk = (text or "").partition(".")
        if not (micros.isascii() and micros.lstrip("-").isdigit() and parse_id(pk)):
            return None
        try:
            return cls(at=_EPOCH + int(micros) * _MICROSECOND, pk=int(pk))
        except OverflowError:
            return None


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    rows: list[T]
    next_cursor: Cursor | None  # where the next (older) page starts; None on the last page
    is_first: bool


def keyset_page(qs: QuerySet[T], *, field: str, after: Cursor | None, size: int) -> KeysetPage[T]:
    """Rows of ``qs`` (ordered by ``-field, -id``) that come after ``after``."""
    if after is not None:
        qs = qs.filter(Q(**{f"{field}__lt": after.at}) | Q(**{field: after.at, "pk__lt": after.pk}))
    rows = list(qs.order_by(f"-{field}", "-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if rows else None
    return KeysetPage(
        rows=rows,
        next_cursor=Cursor(getattr(last, field), last.pk) if more and last else None,
        is_first=after is None,
    )


# --- numbered pages (worklists) --------------------------------------------------------------


@dataclass(frozen=True)
class NumberedPage(Generic[T]):
    rows: list[T]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def page_number(text: str | None) -> int:
    # Past any real list (and an OFFSET the database cannot hold) reads as the first page.
    number = parse_id(text)
    return number if number and number <= 10_000_000 else 1


def numbered_page(qs: QuerySet[T], *, number: int, size: int, details=None) -> NumberedPage[T]:
    """Page ``number`` of ``qs`` (already ordered, with a unique last key).

    The page's ids are read first on the bare table (the index's order, nothing joined), then
    the rows themselves with ``details(queryset)`` applied: joins only for the rows shown, so
    page 40 costs about what page 1 does.
    """
    offset = (number - 1) * size
    ids = list(qs.values_list("pk", flat=True)[offset : offset + size + 1])
    more = len(ids) > size
    ids = ids[:size]
    rows_qs = qs.model._default_manager.filter(pk__in=ids)
    if details is not None:
        rows_qs = details(rows_qs)
    by_id = {row.pk: row for row in rows_qs}
    return NumberedPage(
        rows=[by_id[pk] for pk in ids if pk in by_id], number=number, size=size, has_next=more
    )
