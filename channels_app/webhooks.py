"""Provider webhooks skip the middleware that serves people in browsers.

A provider's webhook (Twilio, Telegram) carries no session, cookie, user, language or page:
sessions, authentication, messages, locale, CSRF (the views are exempt), framing and content
policies, htmx and the login lockout have nothing to do there, and together they cost about
as much as the rest of the request. ``ProviderWebhookMiddleware`` sits right after Django's
``SecurityMiddleware`` (HTTPS and its headers still apply) and hands a request for a view marked
``@provider_webhook`` straight to that view; the view checks the provider's signature itself,
as before. Everything else goes through the whole stack.

Under ASGI the webhook must not wait in the thread that Django hands synchronous code to: that
one thread per process serialises every request that waits on PostgreSQL or Redis. An async
webhook view is awaited on the event loop (it does its I/O there, ``channels_app.intake``); a
synchronous one goes to a thread exactly once. Under WSGI (and the test client) everything
runs in the request's thread, as before.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync, iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve

View = Callable[..., Any]

# Set while a webhook view runs on the server's own event loop: only there may it keep
# connections (one pool per loop). Under WSGI an async view runs on a throwaway loop.
_on_server_loop: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "provider_webhook_on_server_loop", default=False
)


def provider_webhook(view: View) -> View:
    """Mark ``view`` as a provider's webhook, answered without the browser middleware."""
    view.provider_webhook = True  # type: ignore[attr-defined]
    return view


def on_server_loop() -> bool:
    """True inside an async webhook view awaited by the ASGI server's event loop."""
    return _on_server_loop.get()


def _webhook_match(request: HttpRequest) -> ResolverMatch | None:
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if not getattr(match.func, "provider_webhook", False):
        return None
    request.resolver_match = match
    return match


class ProviderWebhookMiddleware:
    """Capable of both modes; Django picks the mode of the middleware below it."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        match = _webhook_match(request)
        if match is None:
            return self.get_response(request)
        if iscoroutinefunction(match.func):
            return async_to_sync(match.func)(request, *match.args, **match.kwargs)
        return match.func(request, *match.args, **match.kwargs)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        match = _webhook_match(request)
        if match is None:
            return await self.get_response(request)
        if iscoroutinefunction(match.func):
            token = _on_server_loop.set(True)
            try:
                return await match.func(request, *match.args, **match.kwargs)
            finally:
                _on_server_loop.reset(token)
        return await sync_to_async(match.func)(request, *match.args, **match.kwargs)


class AsyncProviderWebhookMiddleware(ProviderWebhookMiddleware):
    """The ASGI server's choice (``config/asgi.py``): always async.

    Some middleware below (static files, the audit trail) is synchronous only, and Django
    would run a middleware capable of both in that same synchronous mode, in the thread. Being
    async only, this one stays on the loop and Django hands just the browser's requests on to
    the synchronous part, in one hop as before.
    """

    sync_capable = False
