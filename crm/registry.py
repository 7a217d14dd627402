"""The port to the state data-exchange registry (Mongolia's ХУР, Kazakhstan's GBD FL).

The core asks "who is this national ID?" through ``registry_lookup``; which implementation
answers is a setting. ``LocalRegistry`` reads the demo table, ``HttpRegistry`` calls a real
endpoint that answers JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import RegistryPerson

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistryRecord:
    national_id: str
    first_name: str
    last_name: str
    middle_name: str
    birth_date: dt.date
    sex: str
    address_unit_path: str
    address_text: str


class RegistryUnavailable(RuntimeError):
    """The registry did not answer; callers may carry on without its data."""


class Registry(Protocol):
    def lookup(self, national_id: str) -> RegistryRecord | None: ...


class LocalRegistry:
    def lookup(self, national_id: str) -> RegistryRecord | None:

        person = RegistryPerson.objects.filter(national_id=national_id).first()
        if person is None:
            return None
        return RegistryRecord(
            national_id=person.national_id,
            first_name=person.first_name,
            last_name=person.last_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date,
            sex=person.sex,
            address_unit_path=person.address_unit_path,
            address_text=person.address_text,
        )


class HttpRegistry:
    """GET {CRM_REGISTRY_URL}/{national_id} with a bearer token; 404 means unknown."""

    timeout_seconds = 5

    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self.base_url = (base_url or settings.CRM_REGISTRY_URL).rstrip("/")
        self.token = token if token is not None else settings.CRM_REGISTRY_TOKEN

    def lookup(self, national_id: str) -> RegistryRecord | None:
        url = f"{self.base_url}/{urllib.parse.quote(national_id)}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                data = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise RegistryUnavailable(f"registry answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise RegistryUnavailable(str(exc)) from exc
        return RegistryRecord(
            national_id=data["national_id"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            middle_name=data.get("middle_name", ""),
            birth_date=dt.date.fromisoformat(data["birth_date"]),
            sex=data.get("sex", ""),
            address_unit_path=data.get("address_unit_path", ""),
            address_text=data.get("address_text", ""),
        )


@cache
def _registry(path: str) -> Registry:
    return import_string(path)()


def get_registry() -> Registry:
    return _registry(settings.CRM_REGISTRY_BACKEND)


def registry_lookup(national_id: str) -> RegistryRecord | None:
    return get_registry().lookup(national_id)
