"""THE only way a case's status changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from crm.events import publish_after_commit
from crm.models import Channel, Interaction, Role, User
from crm.services import interaction_record

from . import events, sla
from .deadlines import step_time_record
from .labels import status_label
from .models import Case, CaseEvent, Facility, Ward
from .selectors import cases_visible_to
from .workflows import Transition, TransitionContext, workflow_for


def _role_names(roles: frozenset[str]) -> str:
    return " or ".join(sorted(str(Role(r).label).lower() for r in roles))


def _pick_ward(facility: Facility, sex: str) -> Ward | None:
    """The ward this person would sleep in: their sex's ward, else a mixed one."""
    wards = {w.sex: w for w in Ward.objects.select_for_update().filter(facility=facility)}
    return wards.get(sex) if sex and sex in wards else wards.get("")


def _lock_facility(
    transition: Transition, case: Case, payload: dict[str, Any]
) -> tuple[Facility | None, Ward | None]:
    if transition.facility_from == "payload":
        facility_id = getattr(payload.get("facility"), "pk", payload.get("facility"))
        if not facility_id:
            raise ValidationFailed(
                f"Cannot {transition.action}: choose the care home (facility).",
                details=[
                    {
                        "code": "facility_missing",
                        "field": "facility",
                        "message": "the care home to allocate to",
                    }
                ],
            )
        facility = Facility.objects.select_for_update().filter(pk=facility_id).first()
        if facility is None:
            raise ValidationFailed(
                f"Cannot {transition.action}: care home {facility_id} does not exist.",
                details=[
                    {
                        "code": "facility_unknown",
                        "field": "facility",
                        "message": f"care home {facility_id} does not exist",
                    }
                ],
            )
        return facility, _pick_ward(facility, case.beneficiary.sex)
    if transition.facility_from == "case" and case.facility_id:
        facility = Facility.objects.select_for_update().get(pk=case.facility_id)
        ward = Ward.objects.select_for_update().get(pk=case.ward_id) if case.ward_id else None
        return facility, ward
    return None, None


def case_apply_action(*, case: Case, action: str, actor: User, payload: dict | None = None) -> Case:
    """Apply ``action`` to ``case`` as ``actor``; returns the updated, saved case.

    Lock order is always case, then facility, then ward, so concurrent transitions queue
    instead of deadlocking, and the guards see the rows as they are now, not as the caller
    read them. Raises NotFound (outside jurisdiction or unknown action), NotAllowed (role),
    Conflict (status), ValidationFailed (a guard; the message lists everything missing).
    """
    payload = dict(payload or {})
    with transaction.atomic():
        # No select_related: FOR UPDATE cannot lock the nullable side of an outer join.
        locked = Case.objects.select_for_update().filter(pk=case.pk).first()
        if locked is None or not cases_visible_to(user=actor).filter(pk=locked.pk).exists():
            raise NotFound("No such case in your jurisdiction.")
        workflow = workflow_for(locked.service.workflow)
        transition = workflow.transition(action)
        if transition is None:
            raise NotFound(
                f"'{action}' is not an action of this case's workflow; "
                f"possible: {', '.join(workflow.actions)}."
            )
        if actor.role not in transition.roles:
            raise NotAllowed(
                f"Your role cannot {action} a case; a {_role_names(transition.roles)} does."
            )
        if locked.status not in transition.sources:
            allowed = ", ".join(str(s) for s in transition.sources)
            raise Conflict(
                f"Cannot {action} case {locked.number}: it is {locked.status}; "
                f"{action} is possible only from {allowed}."
            )
        facility, ward = _lock_facility(transition, locked, payload)
        ctx = TransitionContext(
            case=locked,
            actor=actor,
            payload=payload,
            today=timezone.localdate(),
            from_status=locked.status,
            facility=facility,
            ward=ward,
            reason=str(payload.get("reason") or "").strip(),
            reason_code=str(payload.get("reason_code") or "").strip(),
        )
        problems = [problem for guard in transition.guards for problem in guard(ctx)]
        if problems:
            raise ValidationFailed(
                f"Cannot {action} case {locked.number}. Missing: "
                + "; ".join(p.message for p in problems)
                + ".",
                details=[p.as_dict() for p in problems],
            )
        for effect in transition.effects:
            effect(ctx)

        now = timezone.now()
        step_time_record(case=locked, left_at=now)
        locked.status = transition.target
        locked.status_changed_at = now
        locked.due_at, locked.due_date = sla.step_due(
            now, transition.step_deadline, sla.country_of(locked.unit)
        )
        locked.save()
        event_payload = {
            k: v for k, v in payload.items() if k not in ("reason", "reason_code", "facility")
        }
        event_payload.update(ctx.event_payload)
        event = CaseEvent.objects.create(
            case=locked,
            action=action,
            from_status=ctx.from_status,
            to_status=transition.target,
            actor=actor,
            reason_code=ctx.reason_code if action == "return" else "",
            reason=ctx.reason,
            payload=event_payload,
            occurred_at=now,
        )
        _timeline_note(locked, event)
        publish_after_commit(
            events.case_transitioned,
            sender=Case,
            case_id=locked.pk,
            event_id=event.pk,
            action=action,
            from_status=ctx.from_status,
            to_status=transition.target,
            actor_id=actor.pk,
        )
    return locked


def _timeline_note(case: Case, event: CaseEvent) -> None:
    """The change on the citizen's timeline, where agents look first."""
    body = (
        f"{case.number}: {status_label(event.from_status, 'en')} -> "
        f"{status_label(event.to_status, 'en')}"
    )
    if event.reason:
        body += f" ({event.reason})"
    interaction_record(
        contact=case.beneficiary,
        channel=Channel.STAFF,
        direction=Interaction.Direction.INTERNAL,
        kind=Interaction.Kind.CASE_EVENT,
        body=body,
        author=event.actor,
        payload={"case_id": case.pk, "event_id": event.pk, "action": event.action},
    )
