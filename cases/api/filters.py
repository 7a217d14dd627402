from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from rest_framework.filters import OrderingFilter

from crm.models import AdminUnit, Channel

from ..models import Case, Facility, Status

# The largest value a bigint primary key can hold: anything beyond is refused with 400.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number a primary key can hold (not NumberFilter's decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def parse_unit_path(value: str) -> str | None:
    """The unit path an id ("12") or a path ("MN/UB/SKH") names; None when no such unit."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        number = int(value)
        unit = AdminUnit.objects.filter(pk=number).first() if number <= MAX_ID else None
        return unit.path if unit else None
    return value if value.endswith("/") else f"{value}/"


class CaseFilter(django_filters.FilterSet):
    # distinct=False: status is a column of the case itself, so no join can repeat a row, and
    # DISTINCT over every column of the page cost the list most of its time (bench).
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        distinct=False,
        help_text="one or more statuses (repeat the parameter)",
    )
    service = django_filters.CharFilter(
        field_name="service__code", help_text="service code, e.g. care-home-placement"
    )
    unit = django_filters.CharFilter(
        method="filter_unit",
        help_text="an administrative unit's id or path (e.g. MN/UB/SKH/): it and everything "
        "under it",
    )
    channel = django_filters.ChoiceFilter(
        field_name="origin_channel", choices=Channel.choices, help_text="origin channel"
    )
    facility = IdFilter(field_name="facility_id")
    contact = IdFilter(field_name="beneficiary_id", help_text="beneficiary's id")
    number = django_filters.CharFilter(field_name="number")
    created_from = django_filters.DateFilter(field_name="created_at__date", lookup_expr="gte")
    created_to = django_filters.DateFilter(field_name="created_at__date", lookup_expr="lte")
    submitted_from = django_filters.DateFilter(field_name="submitted_at__date", lookup_expr="gte")
    submitted_to = django_filters.DateFilter(field_name="submitted_at__date", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_unit(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        path = parse_unit_path(value)
        if path is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=path)

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool | None):
        from django.utils import timezone

        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.filter(due_at__lt=now)
        return queryset.exclude(due_at__lt=now)


class StableOrderingFilter(OrderingFilter):
    """?ordering= with the id as the last key, so rows never swap places between pages."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering = [*ordering, "-id"]
        return ordering


class FacilityFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        method="filter_unit", help_text="a unit's id or path: care homes in it and below"
    )
    accredited = django_filters.BooleanFilter(
        method="filter_accredited", help_text="accredited or licensed, and still valid today"
    )

    class Meta:
        model = Facility
        fields: list[str] = []

    filter_unit = CaseFilter.filter_unit

    def filter_accredited(self, queryset, name: str, value: bool | None):
        from django.utils import timezone

        if value is None:
            return queryset
        valid = Q(
            is_active=True,
            accreditation__in=[Facility.Accreditation.ACCREDITED, Facility.Accreditation.LICENSED],
            accreditation_valid_until__gte=timezone.localdate(),
        )
        return queryset.filter(valid) if value else queryset.exclude(valid)
