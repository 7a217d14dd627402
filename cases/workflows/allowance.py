"""Allowances of the catalogue (seed 001, e.g. caregiver allowance): approve, then pay.

draft -submit-> submitted -approve-> in_service (being paid) -discharge-> discharged (stopped)
returned and cancelled as in placement. The local worker collects the papers; the district
office decides.
"""

from __future__ import annotations

from crm.models import Role

from ..models import Status, Workflow
from . import rules
from .base import Transition, WorkflowDefinition

LOCAL = frozenset({Role.LOCAL_WORKER})
DISTRICT = frozenset({Role.DISTRICT_WORKER})

ALLOWANCE = WorkflowDefinition(
    name=Workflow.ALLOWANCE,
    initial_status=Status.DRAFT,
    initial_deadline_working_days=10,
    decision_lists={Role.DISTRICT_WORKER: (Status.SUBMITTED,)},
    worklists={
        Role.LOCAL_WORKER: (Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.IN_SERVICE),
        Role.DISTRICT_WORKER: (Status.SUBMITTED, Status.IN_SERVICE, Status.CANCELLED),
        Role.AGENT: (Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
    },
    # An approved allowance is being paid, not a stay in a care home.
    notifications={
        Status.IN_SERVICE: "case_allowance_in_service",
        Status.DISCHARGED: "case_allowance_discharged",
    },
    status_words={
        Status.IN_SERVICE: {
            "mn": "Тэтгэмж олгогдож байна",
            "kk": "Жәрдемақы төленуде",
            "ru": "Пособие выплачивается",
            "en": "Allowance being paid",
        },
        Status.DISCHARGED: {
            "mn": "Тэтгэмж зогссон",
            "kk": "Жәрдемақы тоқтатылды",
            "ru": "Выплата пособия прекращена",
            "en": "Allowance stopped",
        },
    },
    transitions=(
        Transition(
            action="submit",
            sources=(Status.DRAFT, Status.RETURNED),
            target=Status.SUBMITTED,
            roles=LOCAL,
            guards=(rules.mandatory_documents_present, rules.health_documents_recent),
            effects=(rules.mark_submitted,),
            deadline_working_days=10,
        ),
        Transition(
            action="return",
            sources=(Status.SUBMITTED,),
            target=Status.RETURNED,
            roles=DISTRICT,
            guards=(rules.return_reason_code_given, rules.reason_given),
            deadline_working_days=5,
        ),
        Transition(
            action="approve",
            sources=(Status.SUBMITTED,),
            target=Status.IN_SERVICE,
            roles=DISTRICT,
            description="Grant the allowance; payments start.",
        ),
        Transition(
            action="discharge",
            sources=(Status.IN_SERVICE,),
            target=Status.DISCHARGED,
            roles=DISTRICT,
            guards=(rules.reason_given,),
            description="Stop the allowance.",
        ),
        Transition(
            action="cancel",
            sources=(Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
            target=Status.CANCELLED,
            roles=DISTRICT,
            guards=(rules.reason_given,),
        ),
    ),
)
