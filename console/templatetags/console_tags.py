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
def staff_name(user) -> str:
    """A staff member as a person reads it: their full name and role, not the account name."""
    if not user:
        return ""
    name = user.get_full_name() or user.username
    role = user.get_role_display() if getattr(user, "role", "") else ""
    return f"{name} · {role}" if role else name


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


@register.filter
def due_in(value) -> str:
    """A deadline relative to now: "due in 2 h", "3 h overdue", "due in 4 days"."""
    from django.utils.translation import ngettext

    if not value:
        return ""
    seconds = (value - timezone.now()).total_seconds()
    minutes = int(abs(seconds) // 60)
    if minutes < 60:
        amount, unit = max(1, minutes), "min"
    elif minutes < 48 * 60:
        amount, unit = minutes // 60, "h"
    else:
        amount, unit = minutes // (24 * 60), "days"
    if seconds >= 0:
        texts = {
            "min": ngettext("due in %(n)d min", "due in %(n)d min", amount),
            "h": ngettext("due in %(n)d h", "due in %(n)d h", amount),
            "days": ngettext("due in %(n)d day", "due in %(n)d days", amount),
        }
    else:
        texts = {
            "min": ngettext("%(n)d min overdue", "%(n)d min overdue", amount),
            "h": ngettext("%(n)d h overdue", "%(n)d h overdue", amount),
            "days": ngettext("%(n)d day overdue", "%(n)d days overdue", amount),
        }
    return texts[unit] % {"n": amount}


@register.inclusion_tag("console/_late_badge.html")
def late_badge(user) -> dict:
    """Missed deadlines the user holds (a worker) or that were escalated to them (a
    supervisor), still open: the worklist's badge."""
    from cases.breaches import Breach

    from ..supervisor import may_supervise

    if not user.is_authenticated:
        return {"count": 0}
    open_breaches = Breach.objects.filter(resolved_at__isnull=True)
    if may_supervise(user) and not user.sees_everything:
        mine = (
            open_breaches.filter(
                level__gt=Breach.Level.HOLDER, unit__path__startswith=user.unit.path
            )
            if user.unit_id
            else open_breaches.none()
        )
    elif user.sees_everything:
        mine = open_breaches.filter(level__gt=Breach.Level.HOLDER)
    else:
        mine = open_breaches.filter(holder=user)
    return {"count": mine.count()}


@register.filter
def national_phone(value: str) -> str:
    """An E.164 number as people there write it ("+97699112233" -> "9911 2233"); a number
    of another country keeps its international form. Anything else is returned as is."""
    import phonenumbers
    from django.conf import settings

    text = str(value or "")
    if not text.startswith("+"):
        return text
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    region = phonenumbers.region_code_for_number(number)
    home = {"MN", "KZ"} if region in ("MN", "KZ") else {settings.CRM_COUNTRY}
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region in home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


@register.filter
def citizen(contact) -> str:
    """The contact's name, or their phone number in national form when no name is known."""
    if contact is None:
        return ""
    name = contact.display_name
    return national_phone(name) if name.startswith("+") else name


@register.simple_tag
def when(value, css: str = "") -> str:
    """A moment as "5 min ago" (kept current by console.js), the full date on hover."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.html import format_html
    from django.utils.timesince import timesince

    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time class="rel {}" datetime="{}" title="{}">{}</time>',
        css,
        value.isoformat(),
        date_filter(local, "DATETIME_FORMAT"),
        _ago(timesince(value, depth=1)),
    )


def _ago(span: str) -> str:
    from django.utils.translation import gettext

    return gettext("%(time)s ago") % {"time": span}
