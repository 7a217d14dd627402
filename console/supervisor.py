"""What the supervisor's desk shows: the wallboard's live figures and the tables of the
casework and call-centre pages.

Each page's tables are built once here and rendered by the page, the CSV and the XLSX export
alike, so a download always holds exactly the rows on the screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import stats
from cases.api.stats import cases_filtered, period_of, visible_unit
from cases.breaches import Breach
from channels_app.models import CallbackRequest
from crm import stats as crm_stats
from crm.jurisdiction import contacts_visible_to
from crm.models import AdminUnit, Channel, Role, User

from .selectors import LIVE_STATUSES, agents_with_load, conversations_visible_to, desk_agents


def may_supervise(user: User) -> bool:
    return user.is_authenticated and (user.sees_everything or user.role == Role.SUPERVISOR)


# --- tables ---------------------------------------------------------------------------------


@dataclass
class Table:
    """One table of a page: what the screen shows and what the exports write."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    # Per row, where its first cell leads (drill-down), or "".
    links: list[str] = field(default_factory=list)

    def rows_with_links(self) -> list[tuple[list[Any], str]]:
        links = self.links or [""] * len(self.rows)
        return list(zip(self.rows, links, strict=True))


@dataclass
class Filters:
    """The desk's filters, read from the query string."""

    unit: AdminUnit | None
    since: dt.date
    until: dt.date
    start: dt.datetime
    end: dt.datetime
    explicit_period: bool
    service: str
    channel: str

    def case_params(self) -> dict[str, str]:
        """The same question in the case list's own filter names."""
        params = {}
        if self.unit is not None:
            params["unit"] = str(self.unit.pk)
        if self.service:
            params["service"] = self.service
        if self.channel:
            params["channel"] = self.channel
        if self.explicit_period:
            params["created_from"] = self.since.isoformat()
            params["created_to"] = self.until.isoformat()
        return params


def filters_from(user: User, params) -> Filters:
    start, end, since, until = period_of(params)
    return Filters(
        unit=visible_unit(user, params.get("unit")),
        since=since,
        until=until,
        start=start,
        end=end,
        explicit_period=bool(params.get("since") or params.get("until")),
        service=(params.get("service") or "").strip(),
        channel=(params.get("channel") or "").strip(),
    )


def unit_trail(user: User, unit: AdminUnit | None) -> list[AdminUnit]:
    """The breadcrumb from the user's own unit down to the chosen one."""
    if unit is None or not (user.sees_everything or user.unit_id):
        return []
    trail = [u for u in unit.ancestors() if user.sees_everything or user.unit.contains(u)]
    return [*trail, unit]


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def casework_tables(user: User, filters: Filters, language: str) -> dict[str, Table]:
    params = filters.case_params()
    cases = cases_filtered(user, params)
    base = stats.drill_base(user=user, unit=filters.unit)
    tables: dict[str, Table] = {}

    question = stats.tally_question(user, params, base=base, per_unit=True)
    cross = stats.status_by_service_and_unit(cases, language=language, base=base, tally=question)
    status_table = Table(
        "status",
        _("Cases by status, service and unit"),
        [_("Unit"), _("Service"), *[label for _code, label in cross["statuses"]], _("Total")],
    )
    for line in cross["rows"]:
        status_table.rows.append([line["unit"], line["service"], *line["cells"], line["total"]])
        status_table.links.append(f"?unit={line['unit_id']}" if line["drill"] else "")
    tables["status"] = status_table

    weekly = Table(
        "weekly",
        _("New, decided and returned per week"),
        [_("Week"), _("New"), _("Decided"), _("Returned")],
    )
    for row in stats.weekly_flow(cases, since=filters.start, until=filters.end):
        weekly.rows.append([row["week"].isoformat(), row["new"], row["decided"], row["returned"]])
    tables["weekly"] = weekly

    returns = Table("returns", _("Returns by reason"), [_("Reason"), _("Cases")])
    for figure in stats.cases_count_by(cases, by="return_reason", language=language):
        returns.rows.append([figure.label, figure.count])
    tables["returns"] = returns

    steps = Table(
        "steps",
        _("Time in each step"),
        [
            _("Unit"),
            _("Step"),
            _("Steps done"),
            _("Median (h)"),
            _("90th percentile (h)"),
            _("Within deadline (%)"),
        ],
    )
    for row in stats.step_times(
        cases, base=base, since=filters.start, until=filters.end, language=language
    ):
        steps.rows.append(
            [
                row["unit"],
                row["step"],
                row["count"],
                _hours(row["median_hours"]),
                _hours(row["p90_hours"]),
                row["within_deadline_pct"],
            ]
        )
    tables["steps"] = steps

    breaches = Table(
        "breaches",
        _("Missed deadlines open now"),
        [_("Step"), _("Cases"), _("Oldest due"), _("Escalated")],
    )
    levels = dict(Breach.Level.choices)
    for row in stats.breaches_open(cases, language=language):
        breaches.rows.append(
            [
                row["step"],
                row["count"],
                timezone.localtime(row["oldest_due"]).strftime("%Y-%m-%d %H:%M"),
                str(levels.get(row["escalated"], "")),
            ]
        )
    tables["breaches"] = breaches

    beds = Table(
        "beds",
        _("Care-home beds"),
        [_("Care home"), _("Beds"), _("Occupied"), _("Reserved"), _("Free")],
    )
    for row in stats.occupancy(base=base):
        beds.rows.append(
            [row["facility"], row["beds"], row["occupied"], row["reserved"], row["free"]]
        )
    tables["beds"] = beds

    queue = Table(
        "queue",
        _("Waiting queue per district"),
        [_("District"), _("Waiting"), _("Longest wait (days)")],
    )
    for row in stats.waiting_queue(cases, now=timezone.now()):
        queue.rows.append([row["district"], row["count"], row["longest_days"]])
    tables["queue"] = queue
    return tables


def callcentre_tables(user: User, filters: Filters) -> dict[str, Table]:
    conversations = conversations_visible_to(user=user)
    if filters.unit is not None:
        conversations = conversations.filter(
            contact__address_unit__path__startswith=filters.unit.path
        )
    if filters.channel:
        conversations = conversations.filter(channel=filters.channel)
    channels = dict(Channel.choices)
    tables: dict[str, Table] = {}

    volume_rows = crm_stats.volume_by_channel_and_day(
        conversations, since=filters.start, until=filters.end
    )
    used = sorted({r["channel"] for r in volume_rows})
    volume = Table(
        "volume",
        _("Contacts per channel per day"),
        [_("Day"), *[str(channels.get(c, c)) for c in used], _("Total")],
    )
    by_day: dict[dt.date, dict[str, int]] = {}
    for r in volume_rows:
        by_day.setdefault(r["day"], {})[r["channel"]] = r["count"]
    for day in sorted(by_day):
        cells = [by_day[day].get(c, 0) for c in used]
        volume.rows.append([day.isoformat(), *cells, sum(cells)])
    tables["volume"] = volume

    response = Table(
        "response",
        _("Response and handling time per channel"),
        [
            _("Channel"),
            _("Opened"),
            _("Answered"),
            _("Resolved"),
            _("First response (min)"),
            _("Handling time (min)"),
        ],
    )
    for r in crm_stats.response_times(conversations, since=filters.start, until=filters.end):
        response.rows.append(
            [
                str(channels.get(r["channel"], r["channel"])),
                r["opened"],
                r["answered"],
                r["resolved"],
                "" if r["first_response_minutes"] is None else r["first_response_minutes"],
                "" if r["handling_minutes"] is None else r["handling_minutes"],
            ]
        )
    tables["response"] = response

    for name, column, title, header in (
        ("wrapup", "wrap_up_code", _("Resolved per wrap-up code"), _("Wrap-up code")),
        ("agents", "assignee", _("Resolved per agent"), _("Agent")),
        ("teams", "team", _("Resolved per team"), _("Team")),
    ):
        table = Table(name, title, [header, _("Resolved"), _("Handling time (min)")])
        for r in crm_stats.resolved_by(
            conversations, field=column, since=filters.start, until=filters.end
        ):
            table.rows.append(
                [
                    r["key"] or "—",
                    r["count"],
                    "" if r["handling_minutes"] is None else r["handling_minutes"],
                ]
            )
        tables[name] = table
    return tables


# --- the wallboard --------------------------------------------------------------------------

# Other apps add figures (kiosks offline, calls waiting in the provider's queue): a callable
# taking the user and returning (label, value, tone) triples, tone one of "", "ok", "warn", "bad".
WallboardFigure = Callable[[User], list[tuple[str, Any, str]]]
_extra_figures: list[WallboardFigure] = []


def register_wallboard_figure(figure: WallboardFigure) -> WallboardFigure:
    if figure not in _extra_figures:
        _extra_figures.append(figure)
    return figure


def _age_minutes(since: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds() // 60))


def _calls_waiting(user: User) -> int:
    """Callers in the hotline's agent queue right now (their conversation in the user's area)."""
    if not apps.is_installed("ivr"):
        return 0
    from ivr.models import Call

    return Call.objects.filter(
        state=Call.State.QUEUED,
        purpose=Call.Purpose.HOTLINE,
        conversation__in=conversations_visible_to(user=user).values("pk"),
    ).count()


def _kiosks_offline(user: User) -> int | None:
    """Kiosks in the user's area not heard from for KIOSK_STALE_MINUTES (None: no kiosks app)."""
    if not apps.is_installed("kiosk"):
        return None
    from kiosk.selectors import kiosks_silent

    silent = kiosks_silent()
    if not user.sees_everything:
        if not user.unit_id:
            return 0
        silent = silent.filter(unit__path__startswith=user.unit.path)
    return silent.count()


def wallboard(user: User) -> dict[str, Any]:
    """The call centre right now, within the user's jurisdiction."""
    now = timezone.now()
    waiting = conversations_visible_to(user=user).filter(
        status__in=LIVE_STATUSES, unread_count__gt=0
    )
    per_channel = {
        r["channel"]: r
        for r in waiting.order_by()
        .values("channel")
        .annotate(count=Count("id"), since=Min("last_activity_at"))
    }
    channels = [
        {
            "code": code,
            "label": str(label),
            "waiting": per_channel.get(code, {}).get("count", 0),
            "longest_minutes": _age_minutes(per_channel.get(code, {}).get("since"), now),
        }
        for code, label in Channel.choices
        if code != Channel.STAFF
    ]
    agent_ids = desk_agents(user=user, with_load=False).values("pk")
    # One row per agent (tens of rows): their availability and how many live threads they hold.
    states = agents_with_load().filter(pk__in=agent_ids).values_list("availability", "open_load")
    load = {"available": 0, "busy": 0, "away": 0}
    for availability, open_load in states:
        if availability != User.Availability.AVAILABLE:
            load["away"] += 1
        else:
            load["busy" if open_load else "available"] += 1
    callbacks = CallbackRequest.objects.filter(
        status=CallbackRequest.Status.OPEN, contact__in=contacts_visible_to(user)
    ).aggregate(
        due=Count("id", filter=Q(due_at__gte=now)),
        overdue=Count("id", filter=Q(due_at__lt=now)),
    )
    extra = [line for figure in _extra_figures for line in figure(user)]
    return {
        "now": now,
        "channels": channels,
        "waiting_total": sum(c["waiting"] for c in channels),
        "longest_minutes": max((c["longest_minutes"] or 0 for c in channels), default=0),
        "calls_waiting": _calls_waiting(user),
        "kiosks_offline": _kiosks_offline(user),
        "agents": load,
        "callbacks": callbacks,
        "extra": extra,
    }
