"""The organisation mark's rule (seed 003), its guards and effects.

Approved when at least 51% of the employees have a disability, or the employees with a
disability get at least 51% of the payroll (35% in a specialised organisation employing people
with hearing, speech or vision loss). Shares are compared exactly (no rounding): 50.9% fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..organisations import MAX_EMPLOYEES, MarkApplication, MarkEmployee
from ..sla import hours
from .base import Problem, TransitionContext

HEADCOUNT_THRESHOLD = 51
PAYROLL_THRESHOLD = 51
SPECIALISED_PAYROLL_THRESHOLD = 35
SENSORY = frozenset(
    {
        MarkEmployee.Disability.HEARING,
        MarkEmployee.Disability.SPEECH,
        MarkEmployee.Disability.VISION,
    }
)
MARK_VALID_DAYS = 180
# The seed promises an answer within 2 to 4 hours.
PROCESSING_TERM = hours(4)


@dataclass(frozen=True)
class Computation:
    """What the worker sees: the counts, the shares, the thresholds and the verdict."""

    employees: int
    disabled: int
    headcount_percent: str
    payroll_total: str
    payroll_disabled: str
    payroll_percent: str
    specialised: bool
    headcount_threshold: int
    payroll_threshold: int
    by_headcount: bool
    by_payroll: bool
    met: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole):.2f}" if whole else "0.00"


def compute(rows: list[tuple[bool, Decimal, str]], *, specialised: bool) -> Computation:
    """``rows``: (has a disability, monthly pay, disability kind) per employee."""
    employees = len(rows)
    disabled = sum(1 for has, _, _ in rows if has)
    payroll_total = sum((pay for _, pay, _ in rows), Decimal(0))
    payroll_disabled = sum((pay for has, pay, _ in rows if has), Decimal(0))
    # Specialised counts only when it employs someone with hearing, speech or vision loss.
    specialised = specialised and any(has and kind in SENSORY for has, _, kind in rows)
    payroll_threshold = SPECIALISED_PAYROLL_THRESHOLD if specialised else PAYROLL_THRESHOLD
    by_headcount = employees > 0 and disabled * 100 >= HEADCOUNT_THRESHOLD * employees
    by_payroll = payroll_total > 0 and payroll_disabled * 100 >= payroll_threshold * payroll_total
    return Computation(
        employees=employees,
        disabled=disabled,
        headcount_percent=_percent(Decimal(disabled), Decimal(employees)),
        payroll_total=f"{payroll_total:.2f}",
        payroll_disabled=f"{payroll_disabled:.2f}",
        payroll_percent=_percent(payroll_disabled, payroll_total),
        specialised=specialised,
        headcount_threshold=HEADCOUNT_THRESHOLD,
        payroll_threshold=payroll_threshold,
        by_headcount=by_headcount,
        by_payroll=by_payroll,
        met=by_headcount or by_payroll,
    )


def compute_for(application: MarkApplication) -> Computation:
    rows = [(e.has_disability, e.payroll, e.disability) for e in application.employees.all()]
    return compute(rows, specialised=application.specialised)


def explain(c: Computation) -> str:
    """The computation in one line, for the case history and the 400 of a refused approve."""
    # Read when shown (API, console), so it is worded in the reader's language.
    text = _(
        "%(disabled)s of %(employees)s employees have a disability (%(headcount)s%%, "
        "needs %(headcount_needed)s%%); their pay %(pay)s of %(payroll)s (%(pay_share)s%%, "
        "needs %(pay_needed)s%%"
    ) % {
        "disabled": c.disabled,
        "employees": c.employees,
        "headcount": c.headcount_percent,
        "headcount_needed": c.headcount_threshold,
        "pay": c.payroll_disabled,
        "payroll": c.payroll_total,
        "pay_share": c.payroll_percent,
        "pay_needed": c.payroll_threshold,
    }
    if c.specialised:
        text += _(", specialised organisation")
    return text + ")"


def _application(ctx: TransitionContext) -> MarkApplication:
    return MarkApplication.objects.get(case=ctx.case)


# --- guards ---------------------------------------------------------------------------------


def employees_listed(ctx: TransitionContext) -> list[Problem]:
    application = _application(ctx)
    count = application.employees.count()
    if count == 0:
        return [Problem("no_employees", _("the employees (IIN of each)"), field="employees")]
    if count > MAX_EMPLOYEES:
        return [
            Problem(
                "too_many_employees",
                _("at most %(most)s employees (%(count)s listed)")
                % {"most": MAX_EMPLOYEES, "count": count},
                field="employees",
            )
        ]
    return []


def all_answered(ctx: TransitionContext) -> list[Problem]:
    pending = _application(ctx).employees.filter(
        lookup__in=[MarkEmployee.Lookup.PENDING, MarkEmployee.Lookup.FAILED]
    )
    if pending.exists():
        return [Problem("registry_pending", _("the registry's answer for every employee"))]
    return []


def all_checked(ctx: TransitionContext) -> list[Problem]:
    problems = all_answered(ctx)
    unknown = list(
        _application(ctx)
        .employees.filter(lookup=MarkEmployee.Lookup.NOT_FOUND)
        .values_list("iin", flat=True)
    )
    if unknown:
        problems.append(
            Problem(
                "iin_not_in_registry",
                _("registry records for IIN %(iins)s") % {"iins": ", ".join(unknown)},
            )
        )
    return problems


def rule_met(ctx: TransitionContext) -> list[Problem]:
    computation = compute_for(_application(ctx))
    ctx.event_payload["computation"] = computation.as_dict()
    if computation.met:
        return []
    return [
        Problem(
            "rule_not_met",
            _("the 51%% / 35%% rule: %(computation)s") % {"computation": explain(computation)},
        )
    ]


def rule_not_met(ctx: TransitionContext) -> list[Problem]:
    """Reject only what the rule refuses, or employees the registry does not know."""
    application = _application(ctx)
    unknown = application.employees.filter(lookup=MarkEmployee.Lookup.NOT_FOUND).exists()
    computation = compute_for(application)
    ctx.event_payload["computation"] = computation.as_dict()
    if unknown or not computation.met:
        return []
    return [
        Problem(
            "rule_met",
            _("a reason to reject: the rule is met (%(computation)s)")
            % {"computation": explain(computation)},
        )
    ]


def registry_failed(ctx: TransitionContext) -> list[Problem]:
    failed = _application(ctx).employees.filter(lookup=MarkEmployee.Lookup.FAILED).exists()
    return [] if failed else [Problem("registry_answered", _("a registry failure"))]


def validity_over(ctx: TransitionContext) -> list[Problem]:
    expires_at = _application(ctx).expires_at
    if expires_at is not None and expires_at <= timezone.now():
        return []
    if expires_at is None:
        return [Problem("mark_still_valid", _("the end of the mark's validity"))]
    return [
        Problem(
            "mark_still_valid",
            _("the end of the mark's validity (%(day)s)") % {"day": f"{expires_at:%Y-%m-%d}"},
        )
    ]


# --- effects --------------------------------------------------------------------------------


def queue_registry_check(ctx: TransitionContext) -> None:
    """Rows not yet answered (or failed) are checked again; after commit, in the background."""
    application = _application(ctx)
    application.employees.exclude(lookup=MarkEmployee.Lookup.FOUND).update(
        lookup=MarkEmployee.Lookup.PENDING, lookup_error=""
    )
    application.computation = {}
    application.save(update_fields=["computation"])
    case_id = ctx.case.pk

    def _enqueue() -> None:
        from ..tasks import mark_registry_check

        mark_registry_check.delay(case_id)

    transaction.on_commit(_enqueue)


def record_computation(ctx: TransitionContext) -> None:
    application = _application(ctx)
    application.computation = (
        ctx.event_payload.get("computation") or compute_for(application).as_dict()
    )
    application.save(update_fields=["computation"])


def grant_mark(ctx: TransitionContext) -> None:
    application = _application(ctx)
    now = timezone.now()
    application.computation = ctx.event_payload.get("computation", {})
    application.approved_at = now
    application.expires_at = now + dt.timedelta(days=MARK_VALID_DAYS)
    application.save(update_fields=["computation", "approved_at", "expires_at"])
    ctx.event_payload["expires_at"] = application.expires_at.isoformat()
