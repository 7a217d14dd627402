"""The callback queue: citizens who asked to be called, soonest due first."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.jurisdiction import contacts_visible_to

from .. import services
from .common import desk_required, error_text


def _visible(request: HttpRequest):
    from channels_app.models import CallbackRequest

    return CallbackRequest.objects.filter(
        contact__in=contacts_visible_to(request.user)
    ).select_related("contact", "assignee")


@desk_required
def callbacks(request: HttpRequest) -> HttpResponse:
    return render(request, "console/callbacks.html", _context(request))


def _context(request: HttpRequest, **extra) -> dict:
    show = request.GET.get("show", "open")
    qs = _visible(request)
    if show == "open":
        qs = qs.filter(status="open").order_by("due_at", "id")
    else:
        qs = qs.exclude(status="open").order_by("-done_at", "-id")
    now = timezone.now()
    rows = list(qs[:200])
    for row in rows:
        row.overdue = row.status == "open" and row.due_at < now
    return {
        "callbacks": rows,
        "show": show,
        "open_count": _visible(request).filter(status="open").count(),
        "overdue_count": _visible(request).filter(status="open", due_at__lt=now).count(),
        "errors": {},
        **extra,
    }


@desk_required
@require_POST
def callback_update(request: HttpRequest, pk: int) -> HttpResponse:
    callback = _visible(request).filter(pk=pk).first()
    if callback is None:
        messages.error(request, _("No such callback request in your area."))
        return redirect("console:callbacks")
    action = request.POST.get("action", "")
    try:
        if action == "take":
            services.callback_take(callback=callback, agent=request.user)
            messages.success(request, _("You are calling %(name)s.") % {"name": callback.contact})
        else:
            services.callback_close(
                callback=callback,
                agent=request.user,
                outcome=action,
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Callback closed and written on the citizen's timeline."))
    except DomainError as exc:
        # Shown in the row the agent was working on, with what they typed kept.
        context = _context(request, errors={callback.pk: error_text(exc)})
        return render(request, "console/callbacks.html", context, status=exc.status_code)
    return redirect("console:callbacks")
