"""The figures of the supervisor's desk as an API for BI tools (``/api/v1/stats/...``).

Every case figure runs over the cases the caller may see, narrowed by exactly the filters of
``GET /api/v1/cases/`` (same parameter names), so a figure equals the count of the case list
asked the same question. Call-centre figures are for supervisors and administrators.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm import stats as crm_stats
from crm.errors import NotAllowed, ValidationFailed
from crm.ids import parse_id
from crm.jurisdiction import can_see_unit, contacts_visible_to
from crm.models import AdminUnit, Conversation, Role, User

from .. import stats
from ..models import Case
from .filters import CaseFilter

DEFAULT_WEEKS = 12


def _language(request: Request) -> str:
    return (get_language() or getattr(request.user, "language", "") or "en")[:2]


def unit_param(request: Request) -> AdminUnit | None:
    return visible_unit(request.user, request.query_params.get("unit"))


def visible_unit(user: User, value: str | None) -> AdminUnit | None:
    """A unit given by id or path, if the user may see it, else None."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        # "²" is a digit to str.isdigit but no id: parse_id refuses it (and huge numbers).
        unit = AdminUnit.objects.filter(pk=parse_id(value)).first() if parse_id(value) else None
    else:
        unit = AdminUnit.objects.filter(path=value if value.endswith("/") else f"{value}/").first()
    return unit if unit is not None and can_see_unit(user, unit) else None


def filtered_cases(request: Request) -> QuerySet[Case]:
    return cases_filtered(request.user, request.query_params)


def cases_filtered(user: User, params) -> QuerySet[Case]:
    """The user's cases through the case list's own filter set (400 on a bad filter)."""
    filterset = CaseFilter(params, queryset=stats.cases_for_figures(user))
    if not filterset.is_valid():
        raise ValidationFailed(
            _("Some filters are not valid: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{name}: {' '.join(str(e) for e in errors)}"
                    for name, errors in filterset.errors.items()
                )
            },
            details=filterset.errors,
        )
    return filterset.qs


def period(request: Request) -> tuple[dt.datetime, dt.datetime, dt.date, dt.date]:
    return period_of(request.query_params)


def period_of(params) -> tuple[dt.datetime, dt.datetime, dt.date, dt.date]:
    """``since``/``until`` (dates, both included; default the last 12 weeks)."""
    today = timezone.localdate()
    values = {}
    for name, default in (("since", today - dt.timedelta(weeks=DEFAULT_WEEKS)), ("until", today)):
        raw = (params.get(name) or "").strip()
        try:
            values[name] = dt.date.fromisoformat(raw) if raw else default
        except ValueError:
            raise ValidationFailed(
                _("%(name)s must be a date as YYYY-MM-DD, not '%(raw)s'.")
                % {"name": name, "raw": raw},
                details={name: [raw]},
            ) from None
    if values["since"] > values["until"]:
        raise ValidationFailed(
            _("since must not be after until."), details={"since": ["after until"]}
        )
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(values["since"], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(values["until"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end, values["since"], values["until"]


def require_supervisor(user: User) -> None:
    if not (user.sees_everything or user.role == Role.SUPERVISOR):
        raise NotAllowed(_("Only supervisors and administrators read the call-centre figures."))


def _case_filter_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            name, OpenApiTypes.STR, description=str(f.extra.get("help_text", "")) or name
        )
        for name, f in CaseFilter.base_filters.items()
    ]


PERIOD = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="first day (default 12 weeks ago)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="last day, included (default today)"),
]


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
)
class FigureKeyField(serializers.JSONField):
    """A grouping's key: a code (status, service, channel, reason) or a unit's id."""


class FigureSerializer(serializers.Serializer):
    # None for the cases a grouping has no value for (no unit yet, no channel...).
    key = FigureKeyField(allow_null=True)
    label = serializers.CharField()
    count = serializers.IntegerField()


def _answer(request: Request, name: str, language: str, compute) -> Response:
    """The figure from the short-lived cache, with the time it was computed."""
    data, computed_at = stats.cached_figures(
        user=request.user,
        name=f"api:{name}",
        params=request.query_params,
        language=language,
        compute=compute,
    )
    return Response({**data, "computed_at": computed_at})


def _unit_dict(unit: AdminUnit | None) -> dict | None:
    return None if unit is None else {"id": unit.pk, "path": unit.path, "name": unit.name}


class CaseStatsView(APIView):
    @extend_schema(
        summary="Cases counted by status, service, unit, channel or return reason",
        description="Over the cases the caller may see, with the filters of GET /cases/. "
        "`by=unit` splits one level below the `unit` filter (or the caller's own unit): "
        "ministry -> aimag/city/oblast -> soum/district -> bag/khoroo. `return_reason` counts "
        "cases returned at least once for each reason. Every figure of /stats/ is reused for "
        "up to CRM_STATS_CACHE_SECONDS (60 s by default); `computed_at` says when it was "
        "computed.",
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(stats.BY_CHOICES), required=True),
            *_case_filter_parameters(),
        ],
        responses={
            200: inline_serializer(
                "CaseStats",
                {
                    "by": serializers.CharField(),
                    "total": serializers.IntegerField(),
                    "unit": serializers.DictField(allow_null=True),
                    "results": FigureSerializer(many=True),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        by = request.query_params.get("by", "")
        if by not in stats.BY_CHOICES:
            raise ValidationFailed(
                _("by must be one of %(choices)s.") % {"choices": ", ".join(stats.BY_CHOICES)},
                details={"by": list(stats.BY_CHOICES)},
            )
        base = stats.drill_base(user=request.user, unit=unit_param(request))
        language = _language(request)

        def compute() -> dict:
            cases = filtered_cases(request)  # also refuses bad filters with a 400
            # Status, service, unit and channel counts come from the maintained tally when
            # the filters allow it; return reasons always count the cases' events.
            question = (
                None
                if by == "return_reason"
                else stats.tally_question(
                    request.user, request.query_params, base=base, per_unit=by == "unit"
                )
            )
            figures = stats.cases_count_by(
                cases, by=by, language=language, base=base, tally=question
            )
            # The groupings split the cases (each case in one row), except return reasons.
            total = cases.count() if by == "return_reason" else sum(f.count for f in figures)
            return {
                "by": by,
                "total": total,
                "unit": _unit_dict(base),
                "results": [f.as_dict() for f in figures],
            }

        return _answer(request, "cases", language, compute)


class CaseFlowView(APIView):
    @extend_schema(
        summary="New, decided and returned cases per week",
        parameters=[*PERIOD, *_case_filter_parameters()],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        start, end, since, until = period(request)
        return _answer(
            request,
            "weekly",
            "",
            lambda: {
                "since": since,
                "until": until,
                "results": stats.weekly_flow(filtered_cases(request), since=start, until=end),
            },
        )


class StepTimesView(APIView):
    @extend_schema(
        summary="Time spent in each step per unit: median, 90th percentile, share in deadline",
        parameters=[*PERIOD, *_case_filter_parameters()],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        start, end, since, until = period(request)
        base = stats.drill_base(user=request.user, unit=unit_param(request))
        language = _language(request)
        return _answer(
            request,
            "steps",
            language,
            lambda: {
                "since": since,
                "until": until,
                "unit": _unit_dict(base),
                "results": stats.step_times(
                    filtered_cases(request), base=base, since=start, until=end, language=language
                ),
            },
        )


class BreachesView(APIView):
    @extend_schema(
        summary="Missed deadlines open now, per step",
        parameters=_case_filter_parameters(),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        rows = stats.breaches_open(filtered_cases(request), language=_language(request))
        return Response({"results": rows})


class QueueView(APIView):
    @extend_schema(
        summary="Waiting-queue length and longest wait (days) per district",
        parameters=_case_filter_parameters(),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        rows = stats.waiting_queue(filtered_cases(request), now=timezone.now())
        return Response({"results": rows})


class OccupancyView(APIView):
    @extend_schema(
        summary="Care-home beds: capacity, occupied, reserved and free per home",
        parameters=[OpenApiParameter("unit", OpenApiTypes.STR, description="unit id or path")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        base = stats.drill_base(user=request.user, unit=unit_param(request))
        if request.user.role == Role.FACILITY_STAFF:
            raise NotAllowed(_("Care-home staff see their own home's beds on the worklist."))
        return Response({"unit": _unit_dict(base), "results": stats.occupancy(base=base)})


def conversations_for(user: User) -> QuerySet[Conversation]:
    require_supervisor(user)
    return Conversation.objects.filter(contact__in=contacts_visible_to(user))


class CallVolumeView(APIView):
    @extend_schema(
        summary="Contacts from citizens per channel per day (supervisors)",
        parameters=PERIOD,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        start, end, since, until = period(request)
        rows = crm_stats.volume_by_channel_and_day(
            conversations_for(request.user), since=start, until=end
        )
        return Response({"since": since, "until": until, "results": rows})


class ResponseTimesView(APIView):
    @extend_schema(
        summary="First response and handling time per channel, in minutes (supervisors)",
        parameters=PERIOD,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        start, end, since, until = period(request)
        rows = crm_stats.response_times(conversations_for(request.user), since=start, until=end)
        return Response({"since": since, "until": until, "results": rows})


class ResolvedView(APIView):
    @extend_schema(
        summary="Conversations resolved per wrap-up code, agent or team (supervisors)",
        parameters=[
            OpenApiParameter(
                "by", OpenApiTypes.STR, enum=["wrap_up_code", "assignee", "team"], required=True
            ),
            *PERIOD,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        by = request.query_params.get("by", "")
        if by not in ("wrap_up_code", "assignee", "team"):
            raise ValidationFailed(
                _("by must be one of %(choices)s.") % {"choices": "wrap_up_code, assignee, team"},
                details={"by": ["wrap_up_code", "assignee", "team"]},
            )
        start, end, since, until = period(request)
        rows = crm_stats.resolved_by(
            conversations_for(request.user), field=by, since=start, until=end
        )
        return Response({"by": by, "since": since, "until": until, "results": rows})
