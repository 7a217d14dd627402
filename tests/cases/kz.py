"""A Kazakh district office for tests: oblast -> raion -> rural okrug, with staff of every
seed-004 role (clerk, head, executor, both commissions, a rural akim)."""

from __future__ import annotations

from types import SimpleNamespace

from crm.models import Commission, Role
from tests.factories import AdminUnitFactory, UserFactory


def kz_office() -> SimpleNamespace:
    country = AdminUnitFactory(code="KZ", level=0, name="Қазақстан", parent=None)
    oblast = AdminUnitFactory(code="AKM", level=1, name="Ақмола облысы", parent=country)
    raion = AdminUnitFactory(code="ZER", level=2, name="Зеренді ауданы", parent=oblast)
    okrug = AdminUnitFactory(code="ZER", level=3, name="Зеренді ауылдық округі", parent=raion)
    other_raion = AdminUnitFactory(code="BUR", level=2, name="Бурабай ауданы", parent=oblast)

    def user(name: str, role: str, unit, **extra):
        return UserFactory(username=name, role=role, unit=unit, language="kk", **extra)

    return SimpleNamespace(
        country=country,
        oblast=oblast,
        raion=raion,
        okrug=okrug,
        other_raion=other_raion,
        clerk=user("kz.clerk", Role.CLERK, raion),
        head=user("kz.head", Role.HEAD, raion),
        executor=user("kz.executor", Role.EXECUTOR, raion),
        local_commission=user(
            "kz.commission.local", Role.COMMISSION_MEMBER, raion, commission=Commission.LOCAL
        ),
        special_commission=user(
            "kz.commission.special", Role.COMMISSION_MEMBER, raion, commission=Commission.SPECIAL
        ),
        akim=user("kz.akim", Role.AKIM, okrug),
        local_worker=user("kz.local", Role.LOCAL_WORKER, okrug),
        other_clerk=user("kz.clerk.bur", Role.CLERK, other_raion),
    )
