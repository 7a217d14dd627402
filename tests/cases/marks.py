"""Helpers for the organisation mark tests: valid IINs and BINs, and a registry port that
fails for chosen IINs (the port is a setting, so the test swaps the implementation)."""

from __future__ import annotations

import datetime as dt

from crm.national_ids import iin_check_digit
from crm.registry import LocalRegistry, RegistryRecord, RegistryUnavailable

FAILING: set[str] = set()
FLAKY_REGISTRY = "tests.cases.marks.FlakyRegistry"


class FlakyRegistry(LocalRegistry):
    """The demo registry, unreachable for the IINs in ``FAILING``."""

    def lookup(self, national_id: str) -> RegistryRecord | None:
        if national_id in FAILING:
            raise RegistryUnavailable("registry timed out")
        return super().lookup(national_id)


def with_check_digit(first11: str) -> str | None:
    check = iin_check_digit(first11)
    return None if check is None else first11 + str(check)


def iins(count: int, *, start: int = 0) -> list[str]:
    """``count`` distinct valid IINs of people born in 1985 (serials from ``start``)."""
    found, serial = [], start
    while len(found) < count:
        value = with_check_digit(f"850315{3 + serial % 2}{serial:04d}")
        if value:
            found.append(value)
        serial += 1
    return found


def a_bin(serial: int = 1) -> str:
    while True:
        value = with_check_digit(f"0904{4}0{serial:05d}")
        if value:
            return value
        serial += 1


def register(iin_list: list[str]) -> None:
    from crm.models import RegistryPerson

    RegistryPerson.objects.bulk_create(
        [
            RegistryPerson(
                national_id=iin,
                first_name="Айгүл",
                last_name=f"Сәрсенова-{n}",
                birth_date=dt.date(1985, 3, 15),
                sex="F",
            )
            for n, iin in enumerate(iin_list)
        ],
        ignore_conflicts=True,
    )
