"""The "association of persons with disabilities" mark of an organisation (seed 003).

draft -send-> sent -(registry checked in the background)-> approved | rejected | error
error -resend-> sent; rejected -send-> sent (after editing); approved -expire-> expired after
180 days (a periodic job). ``copy`` (not a transition) starts a new draft from an approved one.
The decision is the rule's: ``approve`` and ``reject`` are applied by the registry processing
and refused by their guards whenever the rule says otherwise. ``fail`` and ``expire`` are
internal steps of the processing and the expiry job: the contract's public actions are
``send``, ``approve``, ``reject``, ``resend`` and ``copy``.
"""

from __future__ import annotations

from crm.models import Role

from ..models import Status, Workflow
from . import mark_rules
from .base import Transition, WorkflowDefinition

# Who fills in and sends an organisation's application: the Kazakh welfare office.
OFFICE = frozenset({Role.CLERK, Role.EXECUTOR, Role.ADMIN})
# The registry processing and the expiry job act as the system account (an admin).
PROCESSING = frozenset({Role.ADMIN})

ORGANISATION_MARK = WorkflowDefinition(
    name=Workflow.ORGANISATION_MARK,
    initial_status=Status.DRAFT,
    worklists={
        Role.CLERK: (Status.DRAFT, Status.SENT, Status.ERROR, Status.REJECTED, Status.APPROVED),
        Role.EXECUTOR: (Status.DRAFT, Status.SENT, Status.ERROR, Status.REJECTED),
    },
    notifications={
        Status.SENT: "case_mark_sent",
        Status.APPROVED: "case_mark_approved",
        Status.REJECTED: "case_mark_rejected",
        Status.ERROR: "case_mark_error",
        Status.EXPIRED: "case_mark_expired",
    },
    transitions=(
        Transition(
            action="send",
            sources=(Status.DRAFT, Status.REJECTED),
            target=Status.SENT,
            roles=OFFICE,
            guards=(mark_rules.employees_listed,),
            effects=(mark_rules.queue_registry_check,),
            deadline=mark_rules.PROCESSING_TERM,
            description="Send the application: each IIN is checked in the registry.",
        ),
        Transition(
            action="resend",
            sources=(Status.ERROR,),
            target=Status.SENT,
            roles=OFFICE,
            guards=(mark_rules.employees_listed,),
            effects=(mark_rules.queue_registry_check,),
            deadline=mark_rules.PROCESSING_TERM,
            description="Send again after the registry failed.",
        ),
        Transition(
            action="approve",
            sources=(Status.SENT,),
            target=Status.APPROVED,
            roles=PROCESSING,
            guards=(mark_rules.all_checked, mark_rules.rule_met),
            effects=(mark_rules.grant_mark,),
        ),
        Transition(
            action="reject",
            sources=(Status.SENT,),
            target=Status.REJECTED,
            roles=PROCESSING,
            guards=(mark_rules.all_answered, mark_rules.rule_not_met),
            effects=(mark_rules.record_computation,),
        ),
        Transition(
            action="fail",
            sources=(Status.SENT,),
            target=Status.ERROR,
            roles=PROCESSING,
            guards=(mark_rules.registry_failed,),
            internal=True,
            description="The registry could not answer for some employees.",
        ),
        Transition(
            action="expire",
            sources=(Status.APPROVED,),
            target=Status.EXPIRED,
            roles=PROCESSING,
            guards=(mark_rules.validity_over,),
            internal=True,
            description="The mark's 180 days are over (the periodic expiry job).",
        ),
    ),
)
