"""What every console view shares: who may open which page, and how errors are shown."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language

from crm.errors import DomainError
from crm.models import Role

from ..selectors import CASE_ROLES, works_the_inbox


def language() -> str:
    return (get_language() or "en")[:2]


def home_for(user) -> str:
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        return "console:supervisor"  # the desk: wallboard, casework, call centre
    if works_the_inbox(user):
        return "console:inbox"
    if user.role in CASE_ROLES:
        return "console:worklist"
    return "console:worklist"


def desk_required(view: Callable) -> Callable:
    """Pages of the call-centre desk: agents, supervisors, administrators."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not works_the_inbox(request.user):
            return redirect(home_for(request.user))
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in Role.values and not request.user.is_superuser:
            return redirect("console:login")
        return view(request, *args, **kwargs)

    return wrapper


def error_text(exc: DomainError) -> str:
    """The message plus what exactly is missing, as one readable sentence list."""
    details = exc.details
    extra: list[str] = []
    if isinstance(details, dict):
        for value in details.values():
            if isinstance(value, list | tuple):
                extra.extend(str(v) for v in value if isinstance(v, str) and " " in v)
    elif isinstance(details, list):
        extra.extend(str(v) for v in details if isinstance(v, str))
    extra = [e for e in extra if e not in exc.message]
    return " ".join([exc.message, *extra])
