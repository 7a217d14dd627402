"""The supervisor's desk: wallboard (live), casework and call-centre figures, exports."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cases.models import Service
from cases.stats import cached_figures
from crm.errors import DomainError
from crm.models import AdminUnit, Channel

from .. import exports
from ..supervisor import (
    Filters,
    Table,
    callcentre_tables,
    casework_tables,
    filters_from,
    may_supervise,
    unit_trail,
    wallboard,
)
from .common import error_text, home_for, language


def supervisor_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_supervise(request.user):
            return redirect(home_for(request.user))
        return view(request, *args, **kwargs)

    return wrapper


@supervisor_required
def wallboard_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "console/supervisor/wallboard.html",
        {"board": wallboard(request.user), "section": "wallboard"},
    )


@supervisor_required
def wallboard_panel(request: HttpRequest) -> HttpResponse:
    """The figures alone: the page re-fetches them when the websocket says something moved."""
    return render(
        request, "console/supervisor/_wallboard_panel.html", {"board": wallboard(request.user)}
    )


def _filter_choices(request: HttpRequest, filters: Filters) -> dict:
    user = request.user
    base = filters.unit or (None if user.sees_everything else user.unit)
    children = (
        AdminUnit.objects.filter(parent=base)
        if base is not None
        else AdminUnit.objects.filter(level=AdminUnit.Level.COUNTRY)
    )
    return {
        "filters": filters,
        "trail": unit_trail(user, filters.unit),
        "home_unit": None if user.sees_everything else user.unit,
        "child_units": children.order_by("name"),
        "services": Service.objects.filter(is_active=True).order_by("code"),
        "channels": [(c, label) for c, label in Channel.choices if c != Channel.STAFF],
        "query": request.GET.urlencode(),
    }


def _tables(request: HttpRequest, page: str, filters: Filters) -> tuple[dict, object]:
    """A page's tables (from the figures cache when they are fresh enough)."""
    if page == "casework":
        build = lambda: casework_tables(request.user, filters, language())  # noqa: E731
    elif page == "callcentre":
        build = lambda: callcentre_tables(request.user, filters)  # noqa: E731
    else:
        raise Http404(_("No such page."))
    return cached_figures(
        user=request.user, name=page, params=request.GET, language=language(), compute=build
    )


def _tables_page(request: HttpRequest, *, section: str, template: str) -> HttpResponse:
    try:
        filters = filters_from(request.user, request.GET)
        tables, computed_at = _tables(request, section, filters)
    except DomainError as exc:
        context = {"section": section, "error": error_text(exc), "tables": {}}
        return render(request, template, context, status=exc.status_code)
    # The tables as HTML, kept as long as the figures: rendering a national page's tables
    # costs more than reading its figures from the cache.
    tables_html, _at = cached_figures(
        user=request.user,
        name=f"{section}:html",
        params=request.GET,
        language=language(),
        compute=lambda: render_to_string(
            f"console/supervisor/_{section}_tables.html",
            {"tables": tables, "query": request.GET.urlencode()},
        ),
    )
    context = {
        "section": section,
        "tables": tables,
        "tables_html": tables_html,
        "computed_at": computed_at,
        **_filter_choices(request, filters),
    }
    return render(request, template, context)


@supervisor_required
def casework(request: HttpRequest) -> HttpResponse:
    return _tables_page(request, section="casework", template="console/supervisor/casework.html")


@supervisor_required
def callcentre(request: HttpRequest) -> HttpResponse:
    return _tables_page(
        request, section="callcentre", template="console/supervisor/callcentre.html"
    )


@supervisor_required
def export(request: HttpRequest, page: str, table: str, fmt: str) -> HttpResponse:
    """One table of a page, with the page's filters, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Tables download as csv or xlsx."))
    try:
        filters = filters_from(request.user, request.GET)
        tables, _computed_at = _tables(request, page, filters)
    except DomainError as exc:
        return HttpResponse(error_text(exc), status=exc.status_code, content_type="text/plain")
    chosen: Table | None = tables.get(table)
    if chosen is None:
        raise Http404(_("No such table."))
    return exports.table_xlsx(chosen) if fmt == "xlsx" else exports.table_csv(chosen)
