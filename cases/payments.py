"""Allowance payments (seed 001): a monthly entitlement from the approval month until the
allowance is stopped, and the monthly payment list per district for the finance office."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import AdminUnit, Identity

from .models import Case, Workflow
from .organisations import AllowanceEntitlement
from .workflows.base import TransitionContext


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def parse_month(raw: str) -> dt.date:
    """``2026-03`` -> 1 March 2026; ValueError with a clear message otherwise."""
    try:
        return dt.datetime.strptime(raw.strip(), "%Y-%m").date()
    except (ValueError, AttributeError) as exc:
        raise ValueError(
            _("month must look like 2026-03, not %(raw)s") % {"raw": repr(raw)}
        ) from exc


# --- workflow effects (allowance: approve, discharge) -------------------------------------


def open_entitlement(ctx: TransitionContext) -> None:
    """Approval grants the allowance from the approval month on."""
    service = ctx.case.service
    amount = service.amount if service.amount is not None else settings.ALLOWANCE_MONTHLY_AMOUNT
    entitlement, _created = AllowanceEntitlement.objects.update_or_create(
        case=ctx.case,
        defaults={
            "monthly_amount": amount,
            "currency": service.currency or settings.DEFAULT_CURRENCY,
            "first_month": month_start(ctx.today),
            "last_month": None,
            "stopped_by": None,
        },
    )
    ctx.event_payload["entitlement"] = {
        "monthly_amount": f"{entitlement.monthly_amount:.2f}",
        "currency": entitlement.currency,
        "first_month": entitlement.first_month.isoformat(),
    }


def stop_entitlement(ctx: TransitionContext) -> None:
    """Stopping pays the current month and none after it."""
    entitlement = AllowanceEntitlement.objects.filter(case=ctx.case).first()
    if entitlement is None:
        return
    entitlement.last_month = max(entitlement.first_month, month_start(ctx.today))
    entitlement.stopped_by = ctx.actor
    entitlement.save(update_fields=["last_month", "stopped_by"])
    ctx.event_payload["last_month"] = entitlement.last_month.isoformat()


# --- selectors ------------------------------------------------------------------------------


def entitlement_months(
    entitlement: AllowanceEntitlement, *, until: dt.date | None = None
) -> list[dt.date]:
    """The months paid (first days), from the first month to the stop or ``until``."""
    until = month_start(until or timezone.localdate())
    last = min(entitlement.last_month, until) if entitlement.last_month else until
    months, month = [], entitlement.first_month
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def entitlements_in_month(month: dt.date) -> QuerySet[AllowanceEntitlement]:
    month = month_start(month)
    return AllowanceEntitlement.objects.filter(
        Q(last_month__isnull=True) | Q(last_month__gte=month),
        first_month__lte=month,
        case__service__workflow=Workflow.ALLOWANCE,
    )


@dataclass(frozen=True)
class PaymentRow:
    case_number: str
    name: str
    national_id: str
    unit: str
    service: str
    legal_basis: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class PaymentList:
    district: AdminUnit
    month: dt.date
    rows: list[PaymentRow]

    @property
    def totals(self) -> dict[str, Decimal]:
        """The sum per currency (a district pays in one; kept per currency to never mix)."""
        sums: dict[str, Decimal] = {}
        for row in self.rows:
            sums[row.currency] = sums.get(row.currency, Decimal(0)) + row.amount
        return sums

    @property
    def count(self) -> int:
        return len(self.rows)


def payment_list(
    *, district: AdminUnit, month: dt.date, cases: QuerySet[Case] | None = None
) -> PaymentList:
    """Everyone paid in ``month`` in ``district``; ``cases`` narrows to what a user may see."""
    entitlements = entitlements_in_month(month).filter(case__district=district)
    if cases is not None:
        entitlements = entitlements.filter(case__in=cases)
    entitlements = entitlements.select_related(
        "case__beneficiary", "case__unit", "case__service"
    ).order_by("case__unit__path", "case__beneficiary__last_name", "case__number")
    contact_ids = [e.case.beneficiary_id for e in entitlements]
    national_ids = dict(
        Identity.objects.filter(
            contact_id__in=contact_ids, scheme=Identity.Scheme.NATIONAL_ID
        ).values_list("contact_id", "value")
    )
    rows = [
        PaymentRow(
            case_number=e.case.number,
            name=e.case.beneficiary.display_name,
            national_id=national_ids.get(e.case.beneficiary_id, ""),
            unit=e.case.unit.name if e.case.unit_id else "",
            service=e.case.service.name_en,
            legal_basis=e.case.service.legal_basis,
            amount=e.monthly_amount,
            currency=e.currency,
        )
        for e in entitlements
    ]
    return PaymentList(district=district, month=month_start(month), rows=rows)


HEADER = ["case", "name", "national_id", "unit", "service", "legal_basis", "amount", "currency"]


def _cells(row: PaymentRow) -> list:
    return [
        row.case_number,
        row.name,
        row.national_id,
        row.unit,
        row.service,
        row.legal_basis,
        row.amount,
        row.currency,
    ]


def payment_list_csv(payments: PaymentList) -> bytes:
    """UTF-8 with a BOM so spreadsheet programs read Cyrillic names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in payments.rows:
        writer.writerow([f"{c:.2f}" if isinstance(c, Decimal) else c for c in _cells(row)])
    for currency, total in payments.totals.items():
        writer.writerow(
            ["TOTAL", f"{payments.count} people", "", "", "", "", f"{total:.2f}", currency]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def payment_list_xlsx(payments: PaymentList) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{payments.month:%Y-%m}"
    sheet.append([f"{payments.district.name}, {payments.month:%Y-%m}"])
    sheet.append(HEADER)
    for row in payments.rows:
        sheet.append(_cells(row))
    for currency, total in payments.totals.items():
        sheet.append(["TOTAL", payments.count, None, None, None, None, total, currency])
    for column, width in zip("ABCDEFGH", (14, 32, 14, 28, 36, 24, 12, 8), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class PaidMonths:
    case_number: str
    monthly_amount: Decimal
    currency: str
    months: list[dt.date]


def payments_for_contact(*, contact) -> list[PaidMonths]:
    """Each allowance of the contact (beneficiary or applicant) with the months paid so far."""
    entitlements = (
        AllowanceEntitlement.objects.filter(
            Q(case__beneficiary=contact) | Q(case__applicant=contact)
        )
        .select_related("case")
        .order_by("first_month", "id")
    )
    paid = []
    for entitlement in entitlements:
        months = entitlement_months(entitlement)
        if months:
            paid.append(
                PaidMonths(
                    case_number=entitlement.case.number,
                    monthly_amount=entitlement.monthly_amount,
                    currency=entitlement.currency,
                    months=months,
                )
            )
    return paid
