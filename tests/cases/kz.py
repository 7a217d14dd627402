"""A Kazakh district office for tests: oblast -> raion -> rural okrug, with staff of every
seed-004 role (clerk, head, executor, both commissions, a rural akim)."""

from __future__ import annotations

from types import SimpleNamespace

from cases.models import Case
from cases.services import case_create
from cases.transitions import case_apply_action
from crm.models import Commission, Role
from tests.factories import AdminUnitFactory, UserFactory

from .factories import CaseDocumentFactory


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


def draft(kz, assistance, citizen, actor) -> Case:
    case = case_create(
        beneficiary=citizen, service=assistance, actor=actor, origin_channel="walk_in"
    )
    for required in assistance.documents.all():
        CaseDocumentFactory(case=case, required_document=required)
    return case


# (action, who, payload) in order; the route decides which declaration applies.
OFFICE_STEPS = [
    ("register", "clerk", {}),
    ("assign", "head", {"executor": "executor"}),
    ("send_to_survey", "executor", {}),
    ("record_survey", "local_commission", {"need": True, "act_number": "14"}),
    ("send_to_review", "executor", {}),
    ("decide", "special_commission", {"need": True, "amount": "45000"}),
    ("prepare", "executor", {}),
    ("sign", "head", {}),
    ("issue", "clerk", {}),
]
AKIM_STEPS = [
    ("register", "akim", {}),
    ("send_to_survey", "akim", {}),
    ("record_survey", "local_commission", {"need": True, "act_number": "7"}),
    ("forward", "akim", {}),
    ("send_to_review", "executor", {}),
    ("decide", "special_commission", {"need": True, "amount": "45000"}),
    ("prepare", "executor", {}),
    ("sign", "head", {}),
    ("send_to_akim", "clerk", {}),
    ("issue", "akim", {}),
]
OFFICE_STATUSES = [
    "registered",
    "assigned",
    "in_survey",
    "surveyed",
    "in_review",
    "decided",
    "prepared",
    "signed",
    "issued",
]
AKIM_STATUSES = [
    "registered",
    "in_survey",
    "surveyed",
    "forwarded",
    "in_review",
    "decided",
    "prepared",
    "signed",
    "sent_to_akim",
    "issued",
]


def step_payload(kz, payload: dict) -> dict:
    return {k: getattr(kz, v).pk if k == "executor" else v for k, v in payload.items()}


def walk(kz, case: Case, steps) -> Case:
    for action, who, payload in steps:
        case = case_apply_action(
            case=case, action=action, actor=getattr(kz, who), payload=step_payload(kz, payload)
        )
    return case
