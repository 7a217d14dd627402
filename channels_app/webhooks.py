"""Provider webhooks skip the middleware that serves people in browsers.

A provider's webhook (Twilio, Telegram) carries no session, cookie, user, language or page:
sessions, authentication, messages, locale, CSRF (the views are exempt), framing and content
policies, htmx and the login lockout have nothing to do there, and together they cost about
as much as the rest of the request. ``ProviderWebhookMiddleware`` sits right after Django's
``SecurityMiddleware`` (HTTPS and its headers still apply) and hands a request for a view marked
``@provider_webhook`` straight to that view; the view checks the provider's signature itself,
as before. Everything else goes through the whole stack.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

View = Callable[..., HttpResponse]


def provider_webhook(view: View) -> View:
    """Mark ``view`` as a provider's webhook, answered without the browser middleware."""
    view.provider_webhook = True  # type: ignore[attr-defined]
    return view


class ProviderWebhookMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if getattr(match.func, "provider_webhook", False):
                request.resolver_match = match
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
