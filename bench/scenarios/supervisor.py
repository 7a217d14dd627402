"""The supervisor's desk at scale: the casework page and the figures API, as the national
supervisor (every case of the country), one request at a time.

The casework page runs every casework aggregate of its tables (status x service x unit, weekly
flow, returns, time in step, open breaches, beds, waiting queue); the API cycles through every
``by=`` grouping and the unit drill-down. The server reuses no figure (the bench sets
``CRM_STATS_CACHE_SECONDS=0``): the status counts come from the maintained tally
(``cases.tally``), the rest from GROUP BYs; with a period filter everything is a GROUP BY.
``EXPLAIN ANALYZE`` of the status-by-unit GROUP BY shows how the database answers the
largest of them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import connection
from django.db.models import Sum

from ..benchenv import FORWARDED_HEADERS
from .reads import _measure, explain

FORWARDED = next(iter(FORWARDED_HEADERS.items()))

TARGET_P95_MS = 200
USERNAME = "bench.supervisor"


def run(*, base_url: str, work: Path, ds, seconds: int, log=print) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from cases import selectors, stats
    from cases.tally import CaseTally
    from crm.models import AdminUnit, User

    user = User.objects.get(username=USERNAME)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    cookie = ("Cookie", f"sessionid={store.session_key}")
    token = ("Authorization", f"Token {ds.tokens[USERNAME]}")
    results: dict[str, dict] = {}

    regions = list(
        AdminUnit.objects.filter(level=AdminUnit.Level.REGION, path__startswith="MN/")
        .order_by("path")
        .values_list("pk", flat=True)
    )
    # The server runs with CRM_STATS_CACHE_SECONDS=0: every request below is counted afresh
    # in the database (no figure is reused), so the times are the cold path's.
    today = dt.date.today()
    log("supervisor: casework page (national and each aimag/city), counted afresh")
    pages = ["/console/supervisor/casework/"] + [
        f"/console/supervisor/casework/?unit={pk}" for pk in regions
    ]
    results["casework_page"] = _measure(base_url, work, "casework", pages, cookie, seconds)
    log("supervisor: casework page (national) for a chosen period, counted afresh")
    pages = [
        f"/console/supervisor/casework/?since={today - dt.timedelta(days=100 + i)}"
        for i in range(400)
    ]
    results["casework_page_cold"] = _measure(
        base_url, work, "casework-period", pages, cookie, seconds
    )

    log("supervisor: stats API (national), counted afresh")
    paths = [f"/api/v1/stats/cases/?by={by}" for by in stats.BY_CHOICES] + [
        f"/api/v1/stats/cases/?by=unit&unit={pk}" for pk in regions
    ]
    results["stats_api"] = _measure(base_url, work, "stats", paths, token, seconds)
    log("supervisor: stats API (national) for a chosen period, counted afresh")
    cold_until = [(today - dt.timedelta(days=i)).isoformat() for i in range(400)]
    paths = [
        f"/api/v1/stats/cases/?by={stats.BY_CHOICES[i % 5]}&created_to={day}"
        for i, day in enumerate(cold_until)
    ]
    results["stats_api_cold"] = _measure(base_url, work, "stats-period", paths, token, seconds)

    # The largest figure as the desk now asks it: the status x service x area tally rows.
    question = stats.tally_question(user, {}, base=user.unit, per_unit=True)
    tally = CaseTally.objects.filter(
        question["areas"], service_id__in=question["services"].values("pk")
    )
    results["stats_api"]["explain"] = explain(
        tally.order_by().values("area_id", "service_id", "status").annotate(n=Sum("count"))
    )
    results["stats_api"]["tally_rows"] = tally.count()
    results["stats_api"]["cases_counted"] = selectors.cases_visible_to(user=user).count()
    for name, res in results.items():
        if "p95_ms" in res and not name.endswith("_cold"):
            res["target_p95_ms_under"] = TARGET_P95_MS
            res["target_met"] = res["p95_ms"] < TARGET_P95_MS and res["not_ok"] == 0
    connection.close()
    return results
