"""Typed domain errors; the API maps each kind to one HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Something the caller asked for cannot be done; the message says what to fix."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, details: dict | list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationFailed(DomainError):
    status_code = 400
    code = "invalid"


class NotAllowed(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
