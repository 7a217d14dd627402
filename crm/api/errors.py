"""One place that maps domain errors to HTTP statuses and a readable body."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from crm.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.details is not None:
            body["errors"] = exc.details
        return Response(body, status=exc.status_code)
    if isinstance(exc, DataError):
        # The database refused a value the validation let through (a NUL character in a
        # lookup, a number beyond its column): bad input, not a server fault.
        return Response(
            {
                "detail": _(
                    "A value in the request cannot be stored or looked up (a NUL character "
                    "or a number out of range); correct it and try again."
                ),
                "code": "invalid",
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if response.status_code == status.HTTP_400_BAD_REQUEST and not (
        isinstance(data, dict) and "detail" in data
    ):
        # Field errors (a dict) or a list of messages: one sentence plus the details.
        fields = ", ".join(str(k) for k in data) if isinstance(data, dict) else "body"
        response.data = {
            "detail": _("Fix these fields: %(fields)s.") % {"fields": fields},
            "code": "invalid",
            "errors": data,
        }
    elif isinstance(data, dict) and "detail" in data and "code" not in data:
        # Every error body carries a machine-readable code (not_authenticated, throttled...).
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        response.data = {**data, "code": codes if isinstance(codes, str) else "error"}
    return response
