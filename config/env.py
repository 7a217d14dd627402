"""The one place settings read the environment.

Every variable of the contract has an embedded default so a fresh checkout runs with no
environment at all. Production secrets are the exception: with ``DJANGO_DEBUG`` off they
must be set, and reading them without a value stops start-up with a message naming them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def str(self, name: str, default: str = "") -> str:
        return self._environ.get(name, default).strip()

    def bool(self, name: str, default: bool) -> bool:
        raw = self._environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")

    def int(self, name: str, default: int) -> int:
        raw = self._environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc

    def list(self, name: str, default: list[str]) -> list[str]:
        raw = self._environ.get(name)
        if raw is None:
            return list(default)
        return [item.strip() for item in raw.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.str(name, default).upper() or default
        if value not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def secret(self, name: str, *, debug: bool, dev_default: str) -> str:
        """A value that has a harmless default in development and none in production."""
        value = self.str(name)
        if value:
            return value
        if debug:
            return dev_default
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off (production refuses to start "
            "with a development default)."
        )


env = Env()
