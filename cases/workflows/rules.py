"""Guards (what must be true) and effects (what changes) that workflows are built from.

Guards only read and return every problem they find, so one error lists all that is missing.
Effects run after all guards passed, inside the transaction, on locked rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from crm.countries import country_of

from ..documents import issue_date_valid
from ..models import CaseDocument, ReturnReason, Ward
from ..priority import priority_score
from .base import Problem, TransitionContext

# --- guards ----------------------------------------------------------------------------------
# Problems are read by whoever acts, so they are worded in the active language.


def _doc_name(req) -> str:
    """The required document's name in the reader's language (English when it has none)."""
    return req.name_in((get_language() or "en").split("-")[0])


def reason_given(ctx: TransitionContext) -> list[Problem]:
    if ctx.reason:
        return []
    return [Problem("reason_required", _("a written reason"), field="reason")]


def return_reason_code_given(ctx: TransitionContext) -> list[Problem]:
    if ctx.reason_code in ReturnReason.values:
        return []
    codes = ", ".join(ReturnReason.values)
    return [
        Problem(
            "reason_code_required",
            _("a reason code (one of: %(codes)s)") % {"codes": codes},
            "reason_code",
        )
    ]


def reason_for_care_given(ctx: TransitionContext) -> list[Problem]:
    if ctx.case.reason_for_care.strip():
        return []
    return [Problem("reason_for_care_missing", _("the reason for care"), field="reason_for_care")]


def _documents_by_type(ctx: TransitionContext) -> dict[int, list[CaseDocument]]:
    found: dict[int, list[CaseDocument]] = {}
    for doc in ctx.case.documents.filter(kind=CaseDocument.Kind.REQUIRED):
        found.setdefault(doc.required_document_id, []).append(doc)
    return found


def mandatory_documents_present(ctx: TransitionContext) -> list[Problem]:
    found = _documents_by_type(ctx)
    return [
        Problem(
            "missing_document",
            _("document '%(name)s'") % {"name": _doc_name(req)},
            document=req.code,
        )
        for req in ctx.case.service.documents.all()
        if req.applies_to(ctx.case) and req.pk not in found
    ]


def health_documents_recent(ctx: TransitionContext) -> list[Problem]:
    """Health papers must have been issued within their validity (three months in seed 000)."""
    found = _documents_by_type(ctx)
    problems = []
    for req in ctx.case.service.documents.filter(valid_months__isnull=False):
        docs = found.get(req.pk)
        if not docs:
            continue  # reported as missing by the mandatory check when it applies
        dated = [d.issue_date for d in docs if d.issue_date]
        if not dated:
            problems.append(
                Problem(
                    "issue_date_missing",
                    _("the issue date of '%(name)s'") % {"name": _doc_name(req)},
                    document=req.code,
                )
            )
        elif not issue_date_valid(max(dated), req.valid_months, ctx.today):
            problems.append(
                Problem(
                    "expired_health_certificate",
                    _(
                        "a '%(name)s' issued within the last %(months)s months "
                        "(the newest is from %(newest)s)"
                    )
                    % {
                        "name": _doc_name(req),
                        "months": req.valid_months,
                        "newest": f"{max(dated):%Y-%m-%d}",
                    },
                    document=req.code,
                )
            )
    return problems


def health_status_complete(ctx: TransitionContext) -> list[Problem]:
    case = ctx.case
    if case.has_disability is None:
        return [
            Problem(
                "health_status_incomplete",
                _("whether the person has a disability"),
                field="has_disability",
            )
        ]
    if not case.has_disability:
        return []
    problems = []
    if not case.disability_type.strip():
        problems.append(
            Problem(
                "health_status_incomplete", _("the type of disability"), field="disability_type"
            )
        )
    if case.disability_percent is None:
        problems.append(
            Problem(
                "health_status_incomplete",
                _("the percentage of lost working capacity"),
                field="disability_percent",
            )
        )
    return problems


def facility_accredited(ctx: TransitionContext) -> list[Problem]:
    facility = ctx.facility
    if facility is None:
        return [Problem("facility_missing", _("the care home to allocate to"), field="facility")]
    if facility.accredited_on(ctx.today):
        return []
    if facility.accreditation_valid_until and facility.accreditation_valid_until < ctx.today:
        text = _(
            "a care home with valid accreditation ('%(home)s' accreditation/licence "
            "expired on %(day)s)"
        ) % {"home": facility.name, "day": f"{facility.accreditation_valid_until:%Y-%m-%d}"}
    else:
        text = _("an accredited or licensed care home ('%(home)s' is not)") % {
            "home": facility.name
        }
    return [Problem("facility_not_accredited", text, field="facility")]


def facility_in_same_country(ctx: TransitionContext) -> list[Problem]:
    facility, unit = ctx.facility, ctx.case.unit
    if facility is None or unit is None:
        return []
    if country_of(facility.unit) == country_of(unit):
        return []
    return [
        Problem(
            "facility_other_country",
            _("a care home in the person's country ('%(home)s' is not)") % {"home": facility.name},
            field="facility",
        )
    ]


def free_bed_available(ctx: TransitionContext) -> list[Problem]:
    if ctx.facility is None:
        return []
    if ctx.ward is None:
        sex = ctx.case.beneficiary.sex
        if not sex:
            return [
                Problem(
                    "sex_unknown",
                    _("the person's sex ('%(home)s' has separate wards)")
                    % {"home": ctx.facility.name},
                    field="facility",
                )
            ]
        return [
            Problem(
                "no_free_bed",
                _("a ward for this person in '%(home)s'") % {"home": ctx.facility.name},
                field="facility",
            )
        ]
    if ctx.ward.free > 0:
        return []
    return [
        Problem(
            "no_free_bed",
            _("a free bed ('%(home)s' is full)") % {"home": ctx.facility.name},
            field="facility",
        )
    ]


def placement_documents_attached(ctx: TransitionContext) -> list[Problem]:
    kinds = set(ctx.case.documents.values_list("kind", flat=True))
    problems = []
    if CaseDocument.Kind.GOVERNOR_DECREE not in kinds:
        problems.append(
            Problem("missing_decree", _("the governor's decree"), document="governor_decree")
        )
    if CaseDocument.Kind.WELFARE_LETTER not in kinds:
        problems.append(
            Problem("missing_letter", _("the welfare office's letter"), document="welfare_letter")
        )
    return problems


def _admission_date(ctx: TransitionContext) -> dt.date | None:
    value = ctx.payload.get("admitted_on")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def admission_recorded(ctx: TransitionContext) -> list[Problem]:
    """The day the person moved in (not in the future, not before the home accepted them)
    and the bed they sleep in, which nobody else living in the home holds."""
    problems = []
    day = _admission_date(ctx)
    if day is None:
        problems.append(
            Problem("admission_date_missing", _("the admission date (YYYY-MM-DD)"), "admitted_on")
        )
    elif day > ctx.today:
        problems.append(
            Problem(
                "admission_date_future", _("an admission date not in the future"), "admitted_on"
            )
        )
    elif day < ctx.case.status_changed_at.date():
        accepted = ctx.case.status_changed_at.date().isoformat()
        problems.append(
            Problem(
                "admission_date_early",
                _("an admission date not before the home accepted the person (%(day)s)")
                % {"day": accepted},
                "admitted_on",
            )
        )
    room = str(ctx.payload.get("room") or "").strip()
    bed = str(ctx.payload.get("bed") or "").strip()
    if not bed:
        problems.append(Problem("bed_missing", _("the bed the person sleeps in"), "bed"))
    elif ctx.facility is not None:
        holder = (
            type(ctx.case)
            .objects.filter(facility=ctx.facility, status="in_service", room=room, bed=bed)
            .exclude(pk=ctx.case.pk)
            .first()
        )
        if holder is not None:
            where = (
                _("room %(room)s, bed %(bed)s") % {"room": room, "bed": bed}
                if room
                else _("bed %(bed)s") % {"bed": bed}
            )
            problems.append(
                Problem(
                    "bed_taken",
                    _("a free bed (%(where)s is case %(number)s's)")
                    % {"where": where, "number": holder.number},
                    "bed",
                )
            )
    return problems


# --- effects ---------------------------------------------------------------------------------


def _ward_update(ward: Ward, **changes: int) -> None:
    Ward.objects.filter(pk=ward.pk).update(**{k: F(k) + v for k, v in changes.items()})
    ward.refresh_from_db(fields=["capacity", "occupied", "reserved"])


def mark_submitted(ctx: TransitionContext) -> None:
    # The first submission time is the place in the queue; a fix after a return keeps it.
    if ctx.case.submitted_at is None:
        ctx.case.submitted_at = timezone.now()
    ctx.case.priority_score = priority_score(ctx.case, today=ctx.today)


def reserve_bed(ctx: TransitionContext) -> None:
    _ward_update(ctx.ward, reserved=1)
    ctx.case.facility = ctx.facility
    ctx.case.ward = ctx.ward
    ctx.event_payload["facility"] = ctx.facility.pk
    ctx.event_payload["facility_name"] = ctx.facility.name


def release_reservation(ctx: TransitionContext) -> None:
    """Give back the bed an allocated or waitlisted case holds, and unlink the home."""
    if ctx.ward is not None and ctx.from_status in ("allocated", "waitlisted"):
        _ward_update(ctx.ward, reserved=-1)
        ctx.event_payload["facility"] = ctx.case.facility_id
    ctx.case.facility = None
    ctx.case.ward = None


def occupy_bed(ctx: TransitionContext) -> None:
    _ward_update(ctx.ward, reserved=-1, occupied=1)


def record_admission(ctx: TransitionContext) -> None:
    """Where and since when the person lives in the home (checked by admission_recorded)."""
    day = _admission_date(ctx)
    ctx.case.admitted_on = day
    ctx.case.room = str(ctx.payload.get("room") or "").strip()[:20]
    ctx.case.bed = str(ctx.payload.get("bed") or "").strip()[:20]
    ctx.event_payload.update(
        {"admitted_on": day.isoformat() if day else "", "room": ctx.case.room, "bed": ctx.case.bed}
    )


def release_occupied_bed(ctx: TransitionContext) -> None:
    # The facility stays on the case: it is where the person lived.
    _ward_update(ctx.ward, occupied=-1)
