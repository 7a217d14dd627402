"""One place that turns finished requests into audit rows (see ``points``).

Reads are written after the response has been sent (through the response's close hook,
which WSGI and ASGI servers call once the body is out); changes before the response leaves,
so a change is never answered without its trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.http import HttpRequest, HttpResponse

from . import recorder
from .models import Action, Via
from .points import SAFE, Point, point_for, shown_ids
from .subjects import contact_of

_READS = {Action.READ, Action.LIST}
logger = logging.getLogger(__name__)


def _via(path: str) -> str:
    if path.startswith("/api/"):
        return Via.API
    if path.startswith("/admin/"):
        return Via.ADMIN
    if path.startswith("/console/"):
        return Via.CONSOLE
    return Via.SYSTEM


def client_address(request: HttpRequest) -> str | None:
    """The caller's address; behind ``AUDIT_PROXY_COUNT`` proxies, the one the outermost saw.

    Each proxy appends the address it received from to X-Forwarded-For, so the client is the
    entry that many places from the right; anything further left the client could forge.
    """
    proxies = getattr(settings, "AUDIT_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _failed(request: HttpRequest, response: HttpResponse) -> bool:
    """A console form answers a refusal with a redirect and an error message, not a 4xx."""
    if response.status_code >= 400:
        return True
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", None) or []
    return any(m.level >= message_levels.ERROR for m in queued)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not recorder.enabled():
            return self.get_response(request)
        origin = recorder.Origin(via=_via(request.path), ip=client_address(request))
        token = recorder.set_origin(origin)
        try:
            response = self.get_response(request)
            point = point_for(request)
            if point is not None:
                self._record(request, response, point, origin)
        finally:
            recorder.reset_origin(token)
        if origin.pending:
            # After the body has gone out: the reader waits for neither look-up nor INSERT.
            response._resource_closers.append(lambda: _flush(origin))
        return response

    def _record(self, request: HttpRequest, response: HttpResponse, point: Point, origin) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        safe = request.method in SAFE
        action = point.read if safe else point.write
        if action is None or _failed(request, response):
            return
        kwargs = getattr(request.resolver_match, "kwargs", {}) or {}
        url_id = kwargs.get(point.key) if point.key else None
        data = getattr(response, "data", None)
        if point.id_from_response and isinstance(data, dict) and data.get("id"):
            object_id = data["id"]
        elif point.subject:
            # The URL names the subject (a conversation, a case), not this object.
            object_id = ""
        else:
            object_id = url_id
        subject_type = point.subject or point.object_type
        subject_id = url_id if point.subject else object_id
        shown = shown_ids(request, response) if action == Action.LIST else None
        if action == Action.LIST and not shown:
            return  # an empty search or page showed nobody
        row = recorder.entry(
            actor=user,
            action=action,
            object_type=point.object_type,
            object_id=object_id,
            object_ids=shown,
            detail=str(kwargs.get(point.detail_key, "")) if point.detail_key else point.detail,
            origin=origin,
        )
        contact = self._contact_in_response(data)
        if action in _READS:
            # Which citizen a read concerns is looked up after the response, with the write.
            row.contact_id = contact
            if contact is None:
                origin.subjects[id(row)] = (subject_type, subject_id)
            origin.pending.append(row)
        else:
            row.contact_id = contact if contact is not None else _lookup(subject_type, subject_id)
            _name_timeline(row)
            row.save()

    @staticmethod
    def _contact_in_response(data) -> int | None:
        # The API's case answer names its citizen: no query needed.
        if isinstance(data, dict) and isinstance(data.get("contact"), dict):
            return data["contact"].get("id") or None
        return None


def _lookup(subject_type: str, subject_id) -> int | None:
    if subject_id in (None, ""):
        return None
    return contact_of(subject_type, subject_id)


def _name_timeline(row) -> None:
    # A timeline is named by its citizen, whichever page showed it.
    if row.object_type == "timeline" and row.contact_id is not None:
        row.object_id = str(row.contact_id)


def _flush(origin: recorder.Origin) -> None:
    for row in origin.pending:
        subject = origin.subjects.get(id(row))
        if subject is not None:
            try:
                row.contact_id = _lookup(*subject)
            except Exception:
                # The read is still recorded, without its citizen, rather than not at all.
                logger.exception("audit: no citizen found for %s %s", *subject)
        _name_timeline(row)
    recorder.write_batch(origin.pending)
