"""THE only way a case's status changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from crm.events import publish_after_commit
from crm.models import Channel, Commission, Interaction, Role, User
from crm.services import interaction_record

from . import events, sla
from .deadlines import step_time_record
from .labels import action_name, status_label, status_name
from .models import Case, CaseEvent, Facility, Ward
from .selectors import cases_visible_to, ward_for_person
from .workflows import Transition, TransitionContext, WorkflowDefinition, workflow_for
from .workflows.base import PREVIOUS_STATUS


def _role_names(roles: frozenset[str]) -> str:
    """ "head or commission member (special commission)" for roles and duties."""
    names = []
    for duty in roles:
        role, _sep, commission = duty.partition(":")
        name = str(Role(role).label).lower()
        if commission:
            name += f" ({str(Commission(commission).label).lower()})"
        names.append(name)
    return f" {_('or')} ".join(sorted(names))


def _pick_ward(facility: Facility, sex: str) -> Ward | None:
    """The ward this person would sleep in: their sex's ward, else a mixed one."""
    return ward_for_person(Ward.objects.select_for_update().filter(facility=facility), sex)


def _lock_facility(
    transition: Transition, case: Case, payload: dict[str, Any]
) -> tuple[Facility | None, Ward | None]:
    if transition.facility_from == "payload":
        facility_id = getattr(payload.get("facility"), "pk", payload.get("facility"))
        if not facility_id:
            raise ValidationFailed(
                _("Cannot %(action)s: choose the care home (facility).")
                % {"action": action_name(transition.action)},
                details=[
                    {
                        "code": "facility_missing",
                        "field": "facility",
                        "message": _("the care home to allocate to"),
                    }
                ],
            )
        facility = Facility.objects.select_for_update().filter(pk=facility_id).first()
        if facility is None:
            raise ValidationFailed(
                _("Cannot %(action)s: care home %(facility)s does not exist.")
                % {"action": action_name(transition.action), "facility": facility_id},
                details=[
                    {
                        "code": "facility_unknown",
                        "field": "facility",
                        "message": _("care home %(facility)s does not exist")
                        % {"facility": facility_id},
                    }
                ],
            )
        return facility, _pick_ward(facility, case.beneficiary.sex)
    if transition.facility_from == "case" and case.facility_id:
        facility = Facility.objects.select_for_update().get(pk=case.facility_id)
        ward = Ward.objects.select_for_update().get(pk=case.ward_id) if case.ward_id else None
        return facility, ward
    return None, None


def _choose(
    workflow: WorkflowDefinition, case: Case, action: str, actor: User, *, internal: bool
) -> Transition:
    """The declaration of ``action`` for this case's route, the actor's role and the status.

    An action may be declared more than once (per route, per role). Unknown action (or an
    internal step asked for from outside): 404; not a step of the case's route: 409; not the
    actor's role: 403; not from this status: 409.
    """
    declared = [
        t for t in workflow.transitions if t.action == action and (internal or not t.internal)
    ]
    if not declared:
        raise NotFound(
            _("'%(action)s' is not an action of this case's workflow; possible: %(actions)s.")
            % {"action": action, "actions": ", ".join(dict.fromkeys(workflow.actions))}
        )
    on_route = [t for t in declared if t.on_route(case.route)]
    if not on_route:
        raise Conflict(
            _(
                "Cannot %(action)s case %(number)s: %(action)s is not a step of its route "
                "(%(route)s)."
            )
            % {
                "action": action_name(action),
                "number": case.number,
                "route": case.get_route_display(),
            }
        )
    allowed = [t for t in on_route if t.allows(actor)]
    if not allowed:
        roles = frozenset(r for t in on_route for r in t.roles)
        raise NotAllowed(
            _("Your role cannot %(action)s a case; a %(roles)s does.")
            % {"action": action_name(action), "roles": _role_names(roles)}
        )
    chosen = next((t for t in allowed if case.status in t.sources), None)
    if chosen is None:
        sources = dict.fromkeys(s for t in allowed for s in t.sources)
        raise Conflict(
            _(
                "Cannot %(action)s case %(number)s: it is %(status)s; "
                "%(action)s is possible only from %(sources)s."
            )
            % {
                "action": action_name(action),
                "number": case.number,
                "status": status_name(case.status, case.workflow),
                "sources": ", ".join(status_name(s, case.workflow) for s in sources),
            }
        )
    return chosen


def _target(transition: Transition, case: Case) -> str:
    """Where the case goes: the declared status, or back where it was before (resume)."""
    if transition.target != PREVIOUS_STATUS:
        return transition.target
    arrival = case.events.filter(to_status=case.status).order_by("-occurred_at", "-id").first()
    if arrival is None or not arrival.from_status:
        raise Conflict(
            _("Case %(number)s has no earlier status to return to.") % {"number": case.number}
        )
    return arrival.from_status


def case_apply_action(
    *,
    case: Case,
    action: str,
    actor: User,
    payload: dict | None = None,
    internal: bool = False,
) -> Case:
    """Apply ``action`` to ``case`` as ``actor``; returns the updated, saved case.

    ``internal`` lets the system's own jobs take the steps declared internal (a registry
    failure, an expiry); requests from people never pass it.

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
            raise NotFound(_("No such case in your jurisdiction."))
        workflow = workflow_for(locked.service.workflow)
        transition = _choose(workflow, locked, action, actor, internal=internal)
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
                _("Cannot %(action)s case %(number)s. Missing: %(problems)s.")
                % {
                    "action": action_name(action),
                    "number": locked.number,
                    "problems": "; ".join(p.message for p in problems),
                },
                details=[p.as_dict() for p in problems],
            )
        target = _target(transition, locked)
        for effect in transition.effects:
            effect(ctx)

        now = timezone.now()
        step_time_record(case=locked, left_at=now)
        locked.status = target
        locked.status_changed_at = now
        locked.due_at, locked.due_date = sla.step_due(
            now, transition.step_deadline, sla.country_of(locked.unit)
        )
        if ctx.due_at is not None:  # an effect set the term itself (stretched, or resumed)
            schedule = sla.schedule_for(sla.country_of(locked.unit))
            locked.due_at, locked.due_date = ctx.due_at, schedule.local(ctx.due_at).date()
        locked.save()
        event_payload = {
            k: v for k, v in payload.items() if k not in ("reason", "reason_code", "facility")
        }
        event_payload.update(ctx.event_payload)
        event = CaseEvent.objects.create(
            case=locked,
            action=action,
            from_status=ctx.from_status,
            to_status=target,
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
            to_status=target,
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
