"""The phone line at the desk: take a waiting caller, hear voice messages, call citizens back."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crm.errors import DomainError
from crm.jurisdiction import contacts_visible_to
from ivr import services as ivr_services
from ivr.models import Call

from .common import desk_required, error_text


@desk_required
@require_POST
def call_take(request: HttpRequest, pk: int) -> HttpResponse:
    call = Call.objects.filter(pk=pk, purpose=Call.Purpose.HOTLINE).first()
    if call is None:
        raise Http404
    try:
        ivr_services.call_take(call=call, agent=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("Your phone is ringing: answer it to talk to the longest-waiting caller.")
        )
    if call.conversation_id:
        return redirect("console:conversation", call.conversation_id)
    return redirect("console:inbox")


@desk_required
@require_GET
def voicemail_audio(request: HttpRequest, pk: int) -> HttpResponse:
    """A voice message, fetched from Twilio with our credentials for staff who may see it."""
    try:
        interaction = ivr_services.voicemail_for(user=request.user, interaction_id=pk)
        content, content_type = ivr_services.recording_fetch(interaction=interaction)
    except DomainError as exc:
        return HttpResponse(error_text(exc), status=exc.status_code, content_type="text/plain")
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _callback(request: HttpRequest, pk: int):
    from channels_app.models import CallbackRequest

    callback = CallbackRequest.objects.filter(
        pk=pk, contact__in=contacts_visible_to(request.user)
    ).first()
    if callback is None:
        raise Http404
    return callback


@desk_required
@require_POST
def callback_dial(request: HttpRequest, pk: int) -> HttpResponse:
    callback = _callback(request, pk)
    try:
        ivr_services.callback_dial(callback=callback, agent=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Your phone is ringing: answer it and we connect you to %(name)s.")
            % {"name": callback.contact},
        )
    return redirect("console:callbacks")


@desk_required
@require_POST
def callback_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    callback = _callback(request, pk)
    try:
        ivr_services.callback_outcome_record(
            callback=callback,
            agent=request.user,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("call_note", ""),
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The call's outcome is on the citizen's timeline."))
    return redirect("console:callbacks")
