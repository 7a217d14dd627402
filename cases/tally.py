"""Maintained case counts: how many cases there are per area x service x status x channel.

A national supervisor's casework table and the ``/api/v1/stats/cases/`` groupings would
otherwise count every case of the country on each request. Instead, every write that moves a
case between groups (creation, the transition path, a unit change, a deletion) moves one
count in this table, in the same transaction as the case row, with an ``INSERT ... ON
CONFLICT DO UPDATE SET count = count + n`` (no read-modify-write, so concurrent transitions
never lose a count). The figures then sum a few thousand tally rows instead of scanning a
hundred thousand cases.

The *area* is the case's soum/district, or its own unit when that is above district level
(0 when it has no unit yet): the tally answers every drill-down level down to districts; the
level below (bags/khoroos of one district) is a small indexed GROUP BY over that district's
cases. ``tally_rebuild`` recounts the table from the cases (the ``case_tally_reconcile``
command and a nightly task), which also repairs counts after bulk loads that bypass
``Case.save`` (``COPY``, ``QuerySet.update``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, pre_delete

# A key: (area id, service id, status, origin channel, beneficiary country when no unit).
TallyKey = tuple[int, int, str, str, str]


class CaseTally(models.Model):
    # Plain integers, 0 for "none": a unique constraint treats NULLs as distinct, so an
    # upsert could never find the row of cases without a unit.
    area_id = models.BigIntegerField(default=0)
    service_id = models.BigIntegerField()
    status = models.CharField(max_length=30)
    origin_channel = models.CharField(max_length=20)
    # Only for area 0: the beneficiary's country decides which ministry sees the case.
    country = models.CharField(max_length=2, blank=True, default="")
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_id", "service_id", "status", "origin_channel", "country"],
                name="case_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.service_id}/{self.status}/{self.origin_channel}: {self.count}"


_LOADED = ("unit_id", "district_id", "service_id", "status", "origin_channel")
# A save whose update_fields names none of these leaves the case in its group.
COUNTED_FIELDS = frozenset(
    {"unit", "district", "service", "status", "origin_channel", "beneficiary"}
    | {"unit_id", "district_id", "service_id", "beneficiary_id"}
)


@dataclass(frozen=True)
class _Partial:
    """A key whose country is still to be read (cases with no unit), or None when the
    instance was loaded without one of the counted columns."""

    area: int
    service: int
    status: str
    channel: str
    beneficiary: int | None


def partial_key(case: Any) -> _Partial | None:
    values = case.__dict__
    if any(name not in values for name in _LOADED):
        return None
    area = values["district_id"] or values["unit_id"] or 0
    return _Partial(
        area=area,
        service=values["service_id"],
        status=values["status"],
        channel=values["origin_channel"],
        beneficiary=values.get("beneficiary_id") if not area else None,
    )


def _country_of_contact(contact_id: int | None) -> str:
    if not contact_id:
        return ""
    from crm.models import Contact

    return Contact.objects.filter(pk=contact_id).values_list("country", flat=True).first() or ""


def _full(partial: _Partial) -> TallyKey:
    country = "" if partial.area else _country_of_contact(partial.beneficiary)
    return (partial.area, partial.service, partial.status, partial.channel, country)


def stored_key(case_id: int, *, lock: bool = False) -> _Partial | None:
    """The key of the case as the database holds it (``lock``: and hold its row until the
    transaction ends, so no concurrent writer moves it meanwhile)."""
    from .models import Case

    rows = Case.objects.filter(pk=case_id)
    if lock:
        rows = rows.select_for_update()
    row = rows.values(*_LOADED, "beneficiary_id").first()
    if row is None:
        return None
    area = row["district_id"] or row["unit_id"] or 0
    return _Partial(
        area=area,
        service=row["service_id"],
        status=row["status"],
        channel=row["origin_channel"],
        beneficiary=row["beneficiary_id"] if not area else None,
    )


def _add(key: TallyKey, n: int) -> None:
    table = connection.ops.quote_name(CaseTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (area_id, service_id, status, origin_channel, country, count) "
            "VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (area_id, service_id, status, origin_channel, country) "
            f"DO UPDATE SET count = {table}.count + EXCLUDED.count",
            [*key, n],
        )


def tally_move(old: _Partial | None, new: _Partial | None) -> None:
    """One case left ``old``'s group and joined ``new``'s (either may be None). Must run
    inside the transaction that writes the case."""
    if old == new:
        return
    moves = [(_full(key), n) for key, n in ((old, -1), (new, 1)) if key is not None]
    # Always in key order: two transitions crossing between the same two groups in opposite
    # directions then lock the tally rows in the same order and never deadlock.
    for key, n in sorted(moves):
        _add(key, n)


def _case_deleting(sender, instance, **kwargs) -> None:
    # Deletion runs in a transaction: the row is locked here and gone after.
    instance._tally_key_deleted = stored_key(instance.pk, lock=True)


def _case_deleted(sender, instance, **kwargs) -> None:
    tally_move(getattr(instance, "_tally_key_deleted", None), None)


pre_delete.connect(_case_deleting, sender="cases.Case", dispatch_uid="case_tally_deleting")
post_delete.connect(_case_deleted, sender="cases.Case", dispatch_uid="case_tally_delete")


# --- recount ---------------------------------------------------------------------------------


def recount() -> dict[TallyKey, int]:
    """The counts as a GROUP BY over the cases computes them now."""
    from .models import Case

    rows = (
        Case.objects.order_by()
        .annotate(
            area=Coalesce("district_id", "unit_id", Value(0), output_field=IntegerField()),
            country=When_(
                When(unit__isnull=True, then="beneficiary__country"),
                default=Value(""),
                output_field=models.CharField(),
            ),
        )
        .values("area", "service_id", "status", "origin_channel", "country")
        .annotate(n=Count("id"))
    )
    return {
        (r["area"], r["service_id"], r["status"], r["origin_channel"], r["country"] or ""): r["n"]
        for r in rows
    }


def tally_counts() -> dict[TallyKey, int]:
    rows = CaseTally.objects.exclude(count=0).values_list(
        "area_id", "service_id", "status", "origin_channel", "country", "count"
    )
    return {tuple(r[:5]): r[5] for r in rows}  # type: ignore[misc]


def tally_rebuild() -> int:
    """Recount the tally from the cases; returns how many groups were wrong (0: all right).

    The table is locked against the upserts of concurrent writers while it is recounted, so
    a transition that commits meanwhile adds its move on top of the new counts, never into
    the old ones."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(CaseTally._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        fresh = recount()
        current = tally_counts()
        wrong = sum(
            1 for key in fresh.keys() | current.keys() if fresh.get(key) != current.get(key)
        )
        if wrong:
            CaseTally.objects.all().delete()
            CaseTally.objects.bulk_create(
                CaseTally(
                    area_id=key[0],
                    service_id=key[1],
                    status=key[2],
                    origin_channel=key[3],
                    country=key[4],
                    count=n,
                )
                for key, n in fresh.items()
            )
    return wrong


def tally_rows(
    *, areas: Q, service_ids: list[int] | None, statuses: list[str] | None, channel: str | None
) -> list[dict[str, Any]]:
    """Tally rows (area, service, status, channel, count) narrowed like the case list."""
    rows = CaseTally.objects.filter(areas).exclude(count=0)
    if service_ids is not None:
        rows = rows.filter(service_id__in=service_ids)
    if statuses:
        rows = rows.filter(status__in=statuses)
    if channel:
        rows = rows.filter(origin_channel=channel)
    return list(rows.values("area_id", "service_id", "status", "origin_channel", "count"))
