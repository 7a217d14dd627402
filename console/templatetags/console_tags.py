from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from ..selectors import may_reassign, works_the_inbox

register = template.Library()


@register.filter
def is_desk(user) -> bool:
    return works_the_inbox(user)


@register.filter
def reassigns(user) -> bool:
    return may_reassign(user)


@register.filter
def case_status(status: str) -> str:
    from cases.labels import status_label

    return status_label(status, (get_language() or "en")[:2])


@register.filter
def service_name(service) -> str:
    return service.name_in((get_language() or "en")[:2])


@register.filter
def person(user) -> str:
    if not user:
        return ""
    return user.get_full_name() or user.username


@register.filter
def unit_name(unit) -> str:
    if not unit:
        return ""
    if (get_language() or "")[:2] == "en" and unit.name_en:
        return unit.name_en
    return unit.name


@register.filter
def overdue(value) -> bool:
    return bool(value) and value < timezone.now()


@register.filter
def supervises(user) -> bool:
    from ..supervisor import may_supervise

    return may_supervise(user)
