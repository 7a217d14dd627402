"""One place that maps domain errors to HTTP statuses and a readable body."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
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
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        data = response.data
        if isinstance(data, dict) and "detail" not in data:
            fields = ", ".join(str(k) for k in data)
            response.data = {
                "detail": f"Fix these fields: {fields}.",
                "code": "invalid",
                "errors": data,
            }
    return response
