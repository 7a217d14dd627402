"""Casework figures for supervisors and BI tools: every one a GROUP BY in the database.

Each function takes the cases the caller may see, already narrowed by the case list's own
filters (``cases.api.filters.CaseFilter``), so a figure and the case list never disagree.
Units are drilled down one level at a time: under the ministry by aimag/city/oblast, under an
aimag by soum/district, under a district by bag/khoroo. The district is stored on each case
(``Case.district``), so each level is a foreign-key column or one join away, never a scan of
unit paths.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Ceil, RowNumber, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.countries import country_of
from crm.models import AdminUnit, Channel, Contact, Role, User

from .breaches import Breach, StepTime
from .labels import status_label
from .models import (
    Case,
    CaseEvent,
    CaseTally,
    Facility,
    ReturnReason,
    Service,
    Status,
    Ward,
    Workflow,
)
from .workflows import WORKFLOWS

BY_CHOICES = ("status", "service", "unit", "channel", "return_reason")
NO_UNIT = "none"
T = TypeVar("T")


def cached_figures(
    *, user: User, name: str, params: Mapping[str, Any], language: str, compute: Callable[[], T]
) -> tuple[T, dt.datetime]:
    """A figure computed at most ``CRM_STATS_CACHE_SECONDS`` ago, and when it was computed.

    Aggregates over a whole country take a few hundred milliseconds on a busy database; a
    supervisor paging through the desk, or a BI tool polling, gets the same answer for a
    minute. The key holds everything that decides the answer: what the figure is, the
    filters, the language and the caller's jurisdiction (role and unit; care-home staff see by
    their own account), so no one is ever served another jurisdiction's figures.
    """
    seconds = settings.CRM_STATS_CACHE_SECONDS
    if seconds <= 0:
        return compute(), timezone.now()
    if user.role == Role.FACILITY_STAFF:
        scope = f"user:{user.pk}"
    else:
        scope = f"{user.role}:{user.unit_id}:{int(user.sees_everything)}"
    getlist = getattr(params, "getlist", None)
    items = sorted((k, tuple(getlist(k)) if getlist else str(params[k])) for k in params)
    digest = hashlib.sha256(repr((name, scope, items, language)).encode()).hexdigest()
    key = f"stats:{digest}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = (compute(), timezone.now())
    cache.set(key, value, seconds)
    return value


@dataclass(frozen=True)
class Figure:
    key: Any
    label: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "count": self.count}


# --- drill-down through the unit tree ------------------------------------------------------


def drill_base(*, user: User, unit: AdminUnit | None = None) -> AdminUnit | None:
    """The unit whose children the figures are split by: the chosen one, else the user's own
    (None: everything, for accounts that see every country)."""
    if unit is not None:
        return unit
    if user.sees_everything:
        return None
    return user.unit


def _child_field(base: AdminUnit | None, prefix: str = "") -> str:
    """The column (through the stored district) that names a row's unit one level below."""
    level = -1 if base is None else base.level
    field = {
        -1: "district__parent__parent",
        AdminUnit.Level.COUNTRY: "district__parent",
        AdminUnit.Level.REGION: "district",
    }.get(level, "unit")
    return f"{prefix}{field}"


def _unit_labels(ids: list[int | None]) -> dict[int, AdminUnit]:
    return {u.pk: u for u in AdminUnit.objects.filter(pk__in=[i for i in ids if i])}


def children_of(base: AdminUnit | None, unit_ids: set[int]) -> dict[int, AdminUnit | None]:
    """For each unit id, the unit one level below ``base`` that holds it (itself when it is
    that level or above). Counts grouped by the case's own unit column (no join) are then
    summed per child here: a few hundred group rows, never the cases themselves."""
    child_level = 0 if base is None else base.level + 1
    paths = dict(AdminUnit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    child_path = {
        pk: "/".join(path.strip("/").split("/")[: child_level + 1]) + "/"
        for pk, path in paths.items()
    }
    children = {u.path: u for u in AdminUnit.objects.filter(path__in=set(child_path.values()))}
    return {pk: children.get(path) for pk, path in child_path.items()}


def _unit_figures(rows: list[dict], base: AdminUnit | None) -> list[Figure]:
    child = children_of(base, {r["unit_id"] for r in rows if r["unit_id"]})
    totals: dict[AdminUnit | None, int] = {}
    for row in rows:
        unit = child.get(row["unit_id"]) if row["unit_id"] else None
        totals[unit] = totals.get(unit, 0) + row["count"]
    figures = [
        Figure(
            key=unit.pk if unit else NO_UNIT,
            label=unit.name if unit else _("No unit"),
            count=count,
        )
        for unit, count in totals.items()
    ]
    return sorted(figures, key=lambda f: (f.key == NO_UNIT, f.label))


# --- the cases a figure counts ------------------------------------------------------------


def cases_for_figures(user: User) -> QuerySet[Case]:
    """The same cases as ``selectors.cases_visible_to``, in a form cheap to aggregate.

    For ministry and aimag accounts the list's rule joins every case to its unit (by path)
    and, for the ministry, to its beneficiary (the country of cases with no unit yet): over a
    country's cases that join, repeated in every figure of a page, costs more than the
    figures. Here the units are a list of ids (a few hundred) and the beneficiary is looked
    at only for cases with no unit; every other account gets the list's own queryset."""
    from .selectors import STEP_ROLES, cases_visible_to
    from .workflows import workflows_acted_in

    visible = cases_visible_to(user=user)
    if not (user and user.is_authenticated and user.is_active) or user.sees_everything:
        return visible
    unit = user.unit if user.unit_id else None
    if user.role == Role.FACILITY_STAFF or unit is None or unit.level >= AdminUnit.Level.DISTRICT:
        return visible
    ids = list(AdminUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    scope = Q(unit_id__in=ids)
    if unit.level == AdminUnit.Level.COUNTRY:
        scope |= Q(
            unit__isnull=True,
            beneficiary_id__in=Contact.objects.filter(country=country_of(unit)).values("pk"),
        )
    cases = Case.objects.filter(scope)
    if user.role in STEP_ROLES:
        cases = cases.filter(
            service_id__in=list(
                Service.objects.filter(workflow__in=workflows_acted_in(user.role)).values_list(
                    "pk", flat=True
                )
            )
        )
    return cases


# --- answers from the maintained counts ------------------------------------------------------

# Case list filters the tally can answer: it counts by area, service, status and channel only.
TALLY_FILTERS = frozenset({"unit", "service", "channel", "status"})


def tally_question(
    user: User, params: Mapping[str, Any], *, base: AdminUnit | None, per_unit: bool
) -> dict[str, Any] | None:
    """The filters of the tally rows that count exactly the cases the case list gives ``user``
    for ``params``, or None when only the cases themselves can answer (a period, a facility,
    a search...; care-home staff; a unit below district level, whose cases the tally keeps in
    their district's area; ``per_unit`` splits below ``base``, so ``base`` must be above
    district level). Mirrors ``selectors.cases_visible_to`` and ``CaseFilter``: the tests
    compare both answers for every role."""
    from .api.filters import parse_unit_path
    from .selectors import STEP_ROLES
    from .workflows import workflows_acted_in

    if not (user and user.is_authenticated and user.is_active):
        return None
    if any(key not in TALLY_FILTERS for key in params if key != "by"):
        return None
    if per_unit and base is not None and base.level >= AdminUnit.Level.DISTRICT:
        return None
    areas = Q()
    if not user.sees_everything:
        unit = user.unit if user.unit_id else None
        if user.role == Role.FACILITY_STAFF or unit is None:
            return None
        if unit.level >= AdminUnit.Level.SUBDISTRICT:
            return None
        areas = Q(area_id__in=AdminUnit.objects.filter(path__startswith=unit.path).values("pk"))
        if unit.level == AdminUnit.Level.COUNTRY:
            areas |= Q(area_id=0, country=country_of(unit))
    services = Service.objects.all()
    if not user.sees_everything and user.role in STEP_ROLES:
        services = services.filter(workflow__in=workflows_acted_in(user.role))
    narrowed = Q(areas)
    raw_unit = (params.get("unit") or "").strip()
    if raw_unit:
        path = parse_unit_path(raw_unit)
        chosen = AdminUnit.objects.filter(path=path).first() if path else None
        if chosen is None:  # let the case list's own filter decide what it matches
            return None
        if chosen.level >= AdminUnit.Level.SUBDISTRICT:
            return None
        narrowed &= Q(area_id__in=AdminUnit.objects.filter(path__startswith=path).values("pk"))
    service = (params.get("service") or "").strip()
    if service:
        services = services.filter(code=service)
    getlist = getattr(params, "getlist", None)
    statuses = getlist("status") if getlist else [v for v in [params.get("status")] if v]
    return {
        "areas": narrowed,
        "services": services,
        "statuses": [s for s in statuses if s],
        "channel": (params.get("channel") or "").strip(),
    }


def tally_grouped(question: dict[str, Any], *fields: str) -> list[dict[str, Any]]:
    """Tally counts summed per ``fields`` (area_id, service_id, status, origin_channel) in SQL:
    a few thousand narrow rows for a whole country, never the cases."""
    rows = CaseTally.objects.filter(
        question["areas"], service_id__in=question["services"].values("pk")
    )
    if question["statuses"]:
        rows = rows.filter(status__in=question["statuses"])
    if question["channel"]:
        rows = rows.filter(origin_channel=question["channel"])
    return [r for r in rows.order_by().values(*fields).annotate(count=Sum("count")) if r["count"]]


# --- the case counts the API answers ---------------------------------------------------------


def cases_count_by(
    cases: QuerySet[Case],
    *,
    by: str,
    language: str,
    base: AdminUnit | None = None,
    tally: dict[str, Any] | None = None,
) -> list[Figure]:
    """Cases per status, service, unit (one level below ``base``), origin channel, or per
    return reason (cases returned at least once for it). With a ``tally_question`` the
    first four are summed from the maintained counts instead of the cases."""

    def grouped(field: str) -> list[dict[str, Any]]:
        if tally is None:
            return list(cases.order_by().values(field).annotate(count=Count("id")))
        column = "area_id" if field == "unit_id" else field
        return [{field: r[column], "count": r["count"]} for r in tally_grouped(tally, column)]

    if by == "status":
        rows = grouped("status")
        order = {s: i for i, s in enumerate(Status.values)}
        rows = sorted(rows, key=lambda r: order.get(r["status"], 99))
        return [Figure(r["status"], status_label(r["status"], language), r["count"]) for r in rows]
    if by == "service":
        rows = grouped("service_id")
        services = Service.objects.in_bulk([r["service_id"] for r in rows])
        figures = [
            Figure(
                services[r["service_id"]].code,
                services[r["service_id"]].name_in(language),
                r["count"],
            )
            for r in rows
        ]
        return sorted(figures, key=lambda f: f.key)
    if by == "unit":
        rows = grouped("unit_id")
        return _unit_figures(rows, base)
    if by == "channel":
        rows = grouped("origin_channel")
        labels = dict(Channel.choices)
        return sorted(
            (
                Figure(r["origin_channel"], str(labels.get(r["origin_channel"], "")), r["count"])
                for r in rows
            ),
            key=lambda f: -f.count,
        )
    if by == "return_reason":
        rows = (
            CaseEvent.objects.filter(action="return", case__in=cases.values("pk"))
            .order_by()
            .values("reason_code")
            .annotate(count=Count("case_id", distinct=True))
        )
        labels = dict(ReturnReason.choices)
        return sorted(
            (
                Figure(
                    r["reason_code"] or "other",
                    str(labels.get(r["reason_code"], labels.get("other", ""))),
                    r["count"],
                )
                for r in rows
            ),
            key=lambda f: -f.count,
        )
    raise ValueError(f"Unknown grouping {by!r}; use one of {', '.join(BY_CHOICES)}.")


def status_by_service_and_unit(
    cases: QuerySet[Case],
    *,
    language: str,
    base: AdminUnit | None,
    tally: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The casework cross-table: one row per (unit below ``base``, service), a column per
    status, with row totals (from the maintained counts when a ``tally_question`` is given)."""
    if tally is not None:
        rows = [
            {
                "unit_id": r["area_id"],
                "service_id": r["service_id"],
                "status": r["status"],
                "count": r["count"],
            }
            for r in tally_grouped(tally, "area_id", "service_id", "status")
        ]
    else:
        rows = list(
            cases.order_by().values("unit_id", "service_id", "status").annotate(count=Count("id"))
        )
    child = children_of(base, {r["unit_id"] for r in rows if r["unit_id"]})
    services = Service.objects.in_bulk({r["service_id"] for r in rows})
    table: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        unit = child.get(r["unit_id"]) if r["unit_id"] else None
        key = (unit.name if unit else "~", r["service_id"])
        line = table.setdefault(
            key,
            {
                "unit_id": unit.pk if unit else None,
                "unit": unit.name if unit else _("No unit"),
                "drill": unit is not None and unit.level < AdminUnit.Level.SUBDISTRICT,
                "service": services[r["service_id"]].name_in(language),
                "counts": {},
                "total": 0,
            },
        )
        line["counts"][r["status"]] = line["counts"].get(r["status"], 0) + r["count"]
        line["total"] += r["count"]
    statuses = [s for s in Status.values if any(s in line["counts"] for line in table.values())]
    lines = [table[k] for k in sorted(table)]
    for line in lines:
        line["cells"] = [line["counts"].get(s, 0) for s in statuses]
    return {
        "statuses": [(s, status_label(s, language)) for s in statuses],
        "rows": lines,
        "total": sum(line["total"] for line in lines),
    }


# --- flows over time -----------------------------------------------------------------------


def _decision_actions() -> list[str]:
    """Actions that decide a submitted request (allocate, approve, ...), from the workflows."""
    return sorted(
        {
            t.action
            for w in WORKFLOWS.values()
            for t in w.transitions
            if Status.SUBMITTED in t.sources
            and t.target not in (Status.SUBMITTED, Status.RETURNED, Status.CANCELLED)
        }
    )


def weekly_flow(
    cases: QuerySet[Case], *, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """New, decided and returned cases per week."""
    new = (
        cases.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(count=Count("id"))
    )
    events = (
        CaseEvent.objects.filter(
            case__in=cases.values("pk"), occurred_at__gte=since, occurred_at__lt=until
        )
        .filter(Q(action__in=_decision_actions()) | Q(action="return"))
        .order_by()
        .annotate(week=TruncWeek("occurred_at"))
        .values("week")
        .annotate(
            decided=Count("id", filter=~Q(action="return")),
            returned=Count("id", filter=Q(action="return")),
        )
    )
    weeks: dict[dt.date, dict[str, Any]] = {}

    def week_of(value) -> dt.date:
        return value.date() if isinstance(value, dt.datetime) else value

    for row in new:
        weeks.setdefault(week_of(row["week"]), {"new": 0, "decided": 0, "returned": 0})["new"] = (
            row["count"]
        )
    for row in events:
        line = weeks.setdefault(week_of(row["week"]), {"new": 0, "decided": 0, "returned": 0})
        line["decided"], line["returned"] = row["decided"], row["returned"]
    return [{"week": week, **weeks[week]} for week in sorted(weeks)]


# --- time in each step ---------------------------------------------------------------------


def step_times(
    cases: QuerySet[Case],
    *,
    base: AdminUnit | None,
    since: dt.datetime,
    until: dt.datetime,
    language: str,
) -> list[dict[str, Any]]:
    """Per unit below ``base`` and step: steps finished in the period, median and 90th
    percentile of their duration (nearest rank, in hours) and the share within deadline."""
    field = _child_field(base)
    done = StepTime.objects.filter(
        case__in=cases.values("pk"), left_at__gte=since, left_at__lt=until
    ).order_by()
    totals = list(
        done.values(field, "step")
        .annotate(
            count=Count("id"),
            within=Count("id", filter=Q(within_deadline=True)),
        )
        .values(field, "step", "count", "within")
    )
    partition = [F(field), F("step")]
    ranked = done.annotate(
        rank=Window(RowNumber(), partition_by=partition, order_by=[F("seconds").asc()]),
        size=Window(Count("id"), partition_by=partition),
    )
    percentiles: dict[tuple, dict[str, float]] = {}
    for name, share in (("median", 0.5), ("p90", 0.9)):
        picked = ranked.filter(rank=Ceil(F("size") * share)).values(field, "step", "seconds")
        for row in picked:
            percentiles.setdefault((row[field], row["step"]), {})[name] = row["seconds"] / 3600
    units = _unit_labels([r[field] for r in totals])
    lines = []
    for r in totals:
        unit = units.get(r[field])
        figures = percentiles.get((r[field], r["step"]), {})
        lines.append(
            {
                "unit": unit.name if unit else _("No unit"),
                "step": status_label(r["step"], language),
                "count": r["count"],
                "median_hours": round(figures.get("median", 0.0), 1),
                "p90_hours": round(figures.get("p90", 0.0), 1),
                "within_deadline_pct": round(100 * r["within"] / r["count"]) if r["count"] else 0,
            }
        )
    return sorted(lines, key=lambda line: (line["unit"], line["step"]))


# --- what is late now, beds and the waiting queue --------------------------------------------


def breaches_open(cases: QuerySet[Case], *, language: str) -> list[dict[str, Any]]:
    """Open missed deadlines of the visible cases, per step, with the oldest due time."""
    rows = (
        Breach.objects.filter(
            kind=Breach.Kind.CASE_STEP, resolved_at__isnull=True, case__in=cases.values("pk")
        )
        .order_by()
        .values("step")
        .annotate(count=Count("id"), oldest=Min("due_at"), escalated=Max("level"))
    )
    return [
        {
            "step": status_label(r["step"], language),
            "count": r["count"],
            "oldest_due": r["oldest"],
            "escalated": r["escalated"],
        }
        for r in sorted(rows, key=lambda r: -r["count"])
    ]


def occupancy(*, base: AdminUnit | None) -> list[dict[str, Any]]:
    """Beds, occupied and reserved per care home under ``base`` (sums over its wards)."""
    homes = Facility.objects.filter(is_active=True)
    if base is not None:
        homes = homes.filter(unit__path__startswith=base.path)
    rows = (
        Ward.objects.filter(facility__in=homes)
        .order_by()
        .values("facility_id")
        .annotate(beds=Sum("capacity"), occupied=Sum("occupied"), reserved=Sum("reserved"))
    )
    names = dict(homes.values_list("pk", "name"))
    lines = [
        {
            "facility": names.get(r["facility_id"], ""),
            "beds": r["beds"] or 0,
            "occupied": r["occupied"] or 0,
            "reserved": r["reserved"] or 0,
            "free": max(0, (r["beds"] or 0) - (r["occupied"] or 0) - (r["reserved"] or 0)),
        }
        for r in rows
    ]
    return sorted(lines, key=lambda line: line["facility"])


def waiting_queue(cases: QuerySet[Case], *, now: dt.datetime) -> list[dict[str, Any]]:
    """Placement requests waiting per district: how many, and the longest wait in days."""
    rows = (
        cases.filter(
            status=Status.SUBMITTED,
            # ids, not a join: the submitted cases are read through the status index alone
            service_id__in=list(
                Service.objects.filter(workflow=Workflow.PLACEMENT).values_list("pk", flat=True)
            ),
        )
        .order_by()
        .values("district_id")
        .annotate(count=Count("id"), since=Min("submitted_at"))
    )
    units = _unit_labels([r["district_id"] for r in rows])
    lines = [
        {
            "district": units[r["district_id"]].name if r["district_id"] in units else _("No unit"),
            "count": r["count"],
            "longest_days": (now - r["since"]).days if r["since"] else 0,
        }
        for r in rows
    ]
    return sorted(lines, key=lambda line: -line["count"])
