"""Guards and effects of the social-assistance workflow (seed 004).

Guard messages are in the language of whoever acts (they read them in the console or the
API), and name what to add, never a care home or a bed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from crm.countries import country_of
from crm.models import HouseholdMember, Role, User

from .. import sla
from ..models import CaseDocument, CaseEvent, Decision
from .base import Problem, TransitionContext

CENTS = Decimal("0.01")
DOCUMENT_PROBLEMS = ("missing", "damaged", "lost")


def _yes_no(value: object) -> bool | None:
    """A conclusion from JSON (true/false) or a form ("yes", "no", "1", "0")."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    return None


def _amount(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


# --- guards ----------------------------------------------------------------------------------


def executor_chosen(ctx: TransitionContext) -> list[Problem]:
    chosen = ctx.payload.get("executor")
    executor_id = getattr(chosen, "pk", chosen)
    if not executor_id:
        return [Problem("executor_required", _("the responsible executor"), field="executor")]
    executor = _executor(ctx, executor_id)
    if executor is None:
        return [
            Problem(
                "executor_unknown",
                _("an executor of this office (%(id)s is not one)") % {"id": executor_id},
                field="executor",
            )
        ]
    ctx.event_payload["executor"] = executor.username
    return []


def _executor(ctx: TransitionContext, executor_id: object) -> User | None:
    if not str(executor_id).isdigit():
        return None
    executor = User.objects.filter(
        pk=int(str(executor_id)), role=Role.EXECUTOR, is_active=True, unit__isnull=False
    ).first()
    unit = ctx.case.unit
    if executor is None or unit is None or not unit.path.startswith(executor.unit.path):
        return None
    return executor


def application_documents_present(ctx: TransitionContext) -> list[Problem]:
    uploaded = set(
        ctx.case.documents.filter(kind=CaseDocument.Kind.REQUIRED).values_list(
            "required_document_id", flat=True
        )
    )
    language = (get_language() or "en")[:2]
    return [
        Problem(
            "missing_document",
            _("document “%(name)s” (or suspend the case with request_documents)")
            % {"name": required.name_in(language)},
            document=required.code,
        )
        for required in ctx.case.service.documents.all()
        if required.applies_to(ctx.case) and required.pk not in uploaded
    ]


def survey_concluded(ctx: TransitionContext) -> list[Problem]:
    problems = []
    if _yes_no(ctx.payload.get("need")) is None:
        problems.append(
            Problem(
                "survey_conclusion_missing",
                _("the local commission's conclusion on need (need: yes or no)"),
                field="need",
            )
        )
    if not str(ctx.payload.get("act_number") or "").strip():
        problems.append(
            Problem(
                "survey_act_missing",
                _("the number of the act on the family's material situation"),
                field="act_number",
            )
        )
    return problems


def _household_members(ctx: TransitionContext):
    membership = (
        HouseholdMember.objects.filter(contact=ctx.case.beneficiary)
        .order_by("-household__created_at", "-id")
        .first()
    )
    if membership is None:
        return None
    return HouseholdMember.objects.filter(household_id=membership.household_id)


def household_known(ctx: TransitionContext) -> list[Problem]:
    if _household_members(ctx) is not None:
        return []
    return [
        Problem(
            "household_missing",
            _("the applicant's family: its members and their monthly incomes"),
            field="household",
        )
    ]


def decision_complete(ctx: TransitionContext) -> list[Problem]:
    need = _yes_no(ctx.payload.get("need"))
    if need is None:
        return [
            Problem(
                "decision_missing",
                _("the special commission's conclusion (need: yes or no)"),
                field="need",
            )
        ]
    amount = _amount(ctx.payload.get("amount"))
    if need and (amount is None or amount <= 0):
        return [
            Problem(
                "amount_missing",
                _("the amount of assistance (a positive sum in %(currency)s)")
                % {"currency": ctx.case.service.currency or "KZT"},
                field="amount",
            )
        ]
    return []


def documents_problem_stated(ctx: TransitionContext) -> list[Problem]:
    problems = []
    if ctx.reason_code not in DOCUMENT_PROBLEMS:
        problems.append(
            Problem(
                "documents_reason_code_required",
                _("what is wrong with the papers (reason_code: missing, damaged or lost)"),
                field="reason_code",
            )
        )
    if not ctx.reason:
        problems.append(
            Problem("reason_required", _("which papers the citizen must bring"), field="reason")
        )
    return problems


def cancel_reason_given(ctx: TransitionContext) -> list[Problem]:
    if ctx.reason:
        return []
    return [Problem("reason_required", _("why the application stops"), field="reason")]


# --- effects ---------------------------------------------------------------------------------


def take_route(route: str) -> Callable[[TransitionContext], None]:
    def effect(ctx: TransitionContext) -> None:
        ctx.case.route = route

    effect.__name__ = f"take_route_{route}"
    return effect


def appoint_executor(ctx: TransitionContext) -> None:
    chosen = ctx.payload["executor"]
    ctx.case.executor = _executor(ctx, getattr(chosen, "pk", chosen))


def keep_survey(ctx: TransitionContext) -> None:
    ctx.event_payload["need"] = _yes_no(ctx.payload.get("need"))
    ctx.event_payload["act_number"] = str(ctx.payload.get("act_number")).strip()


def per_capita_income(incomes: list[Decimal]) -> Decimal:
    """The family's average monthly income per person: every member counts, earning or not."""
    if not incomes:
        raise ValueError("A family has at least one member.")
    return (sum(incomes, Decimal(0)) / len(incomes)).quantize(CENTS, rounding=ROUND_HALF_UP)


def compute_per_capita_income(ctx: TransitionContext) -> None:
    incomes = [m.monthly_income or Decimal(0) for m in _household_members(ctx)]
    case = ctx.case
    case.household_size = len(incomes)
    case.household_income = sum(incomes, Decimal(0))
    case.per_capita_income = per_capita_income(incomes)
    ctx.event_payload.update(
        household_size=case.household_size,
        household_income=str(case.household_income),
        per_capita_income=str(case.per_capita_income),
    )


def keep_decision(ctx: TransitionContext) -> None:
    need = bool(_yes_no(ctx.payload.get("need")))
    case = ctx.case
    case.decision = Decision.ASSIGNED if need else Decision.REFUSED
    case.assistance_amount = _amount(ctx.payload.get("amount")) if need else None
    ctx.event_payload["need"] = need
    ctx.event_payload["amount"] = str(case.assistance_amount) if need else None


def record_signature(ctx: TransitionContext) -> None:
    ctx.case.signed_by = ctx.actor
    ctx.case.signed_at = timezone.now()


def _registered_at(ctx: TransitionContext):
    event = (
        CaseEvent.objects.filter(case=ctx.case, action="register").order_by("occurred_at").first()
    )
    return event.occurred_at if event else ctx.case.created_at


def extend_term(ctx: TransitionContext) -> None:
    """Missing papers: the whole service may take 20 working days from registration."""
    from .social_assistance import EXTENDED_TERM

    due_at, due_date = sla.step_due(_registered_at(ctx), EXTENDED_TERM, country_of(ctx.case.unit))
    ctx.case.extended_until = due_date
    ctx.due_at = due_at
    ctx.event_payload["documents"] = ctx.reason_code
    ctx.event_payload["extended_until"] = due_date.isoformat()


def restart_step(ctx: TransitionContext) -> None:
    """The step that stopped gets its whole term again, from now."""
    from .social_assistance import SOCIAL_ASSISTANCE

    arrival = (
        CaseEvent.objects.filter(case=ctx.case, to_status=ctx.case.status)
        .order_by("-occurred_at", "-id")
        .first()
    )
    back_to = arrival.from_status if arrival else ""
    leading = [
        t
        for t in SOCIAL_ASSISTANCE.transitions
        if t.target == back_to and t.on_route(ctx.case.route) and t.step_deadline
    ]
    if leading:
        due_at, _due_date = sla.step_due(
            timezone.now(), leading[0].step_deadline, country_of(ctx.case.unit)
        )
        ctx.due_at = due_at
