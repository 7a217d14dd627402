"""Signing in and out, the language switcher and the agent's available/away toggle."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError

from .. import services
from .common import error_text, home_for

CONSOLE_LANGUAGES = ("mn", "kk", "ru", "en")


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Staff keep the language they chose on the sign-in page; otherwise their own.
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            user_language = form.get_user().language
            if user_language in CONSOLE_LANGUAGES:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user_language)
        return response

    def get_default_redirect_url(self):
        return self.get_redirect_url() or _reverse_home(self.request.user)


def _reverse_home(user) -> str:
    from django.urls import reverse

    return reverse(home_for(user))


class LogoutView(auth_views.LogoutView):
    next_page = "console:login"

    def post(self, request, *args, **kwargs):
        # Signing out of the console signs the person out of the API too: every token of
        # theirs is revoked, so a token left in a script or another tab stops working.
        if request.user.is_authenticated:
            from knox.models import get_token_model

            get_token_model().objects.filter(user=request.user).delete()
        return super().post(request, *args, **kwargs)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(home_for(request.user))


def _next_page(request: HttpRequest) -> str:
    """Where to go back to: a path on this site, else the console's home."""
    target = request.POST.get("next", "")
    if (
        not target.startswith("/")
        or not target.isprintable()
        or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return "/console/"
    return target


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("language", "")
    response = HttpResponseRedirect(_next_page(request))
    if code in CONSOLE_LANGUAGES:
        translation.activate(code)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code)
        if request.user.is_authenticated and request.user.language != code:
            request.user.language = code
            request.user.save(update_fields=["language"])
    return response


@login_required
@require_POST
def availability_set(request: HttpRequest) -> HttpResponse:
    try:
        services.agent_availability_set(
            user=request.user, availability=request.POST.get("availability", "")
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        if request.user.availability == "available":
            messages.success(request, _("You are available: new conversations come to you."))
        else:
            messages.info(request, _("You are away: no new conversations are assigned to you."))
    return HttpResponseRedirect(_next_page(request))
