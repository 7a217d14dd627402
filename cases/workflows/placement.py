"""Care-home placement for the elderly (seed 000): the core state machine.

draft -submit-> submitted -allocate-> allocated -accept-> waitlisted -admit-> in_service
                  |  ^ decline <----------/                                    | discharge
           return v  | submit                                                  v
                returned                                                  discharged
cancel (district worker, with a reason) from draft, submitted, returned, allocated, waitlisted.
"""

from __future__ import annotations

from crm.models import Role

from ..models import Status, Workflow
from . import rules
from .base import Transition, WorkflowDefinition

LOCAL = frozenset({Role.LOCAL_WORKER})
DISTRICT = frozenset({Role.DISTRICT_WORKER})
FACILITY = frozenset({Role.FACILITY_STAFF})

PLACEMENT = WorkflowDefinition(
    name=Workflow.PLACEMENT,
    initial_status=Status.DRAFT,
    queue_statuses=(Status.SUBMITTED,),
    decision_lists={Role.DISTRICT_WORKER: (Status.SUBMITTED,)},
    # The lists of seed 000: "the local worker's lists", "the district's"; a care home's.
    worklists={
        Role.LOCAL_WORKER: (
            Status.DRAFT,
            Status.WAITLISTED,
            Status.RETURNED,
            Status.SUBMITTED,
            Status.IN_SERVICE,
        ),
        Role.DISTRICT_WORKER: (
            Status.SUBMITTED,
            Status.ALLOCATED,
            Status.IN_SERVICE,
            Status.WAITLISTED,
            Status.CANCELLED,
        ),
        Role.FACILITY_STAFF: (
            Status.ALLOCATED,
            Status.WAITLISTED,
            Status.IN_SERVICE,
            Status.DISCHARGED,
        ),
        Role.AGENT: (Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
    },
    # The local worker completes a draft within two working weeks.
    initial_deadline_working_days=10,
    transitions=(
        Transition(
            action="submit",
            sources=(Status.DRAFT, Status.RETURNED),
            target=Status.SUBMITTED,
            roles=LOCAL,
            guards=(
                rules.reason_for_care_given,
                rules.mandatory_documents_present,
                rules.health_documents_recent,
                rules.health_status_complete,
            ),
            effects=(rules.mark_submitted,),
            deadline_working_days=10,
            description="Send a complete request to the district welfare office.",
        ),
        Transition(
            action="return",
            sources=(Status.SUBMITTED,),
            target=Status.RETURNED,
            roles=DISTRICT,
            guards=(rules.return_reason_code_given, rules.reason_given),
            deadline_working_days=5,
            description="Send the request back to the local worker with a reason to fix.",
        ),
        Transition(
            action="allocate",
            sources=(Status.SUBMITTED,),
            target=Status.ALLOCATED,
            roles=DISTRICT,
            guards=(
                rules.facility_accredited,
                rules.facility_in_same_country,
                rules.free_bed_available,
                rules.placement_documents_attached,
            ),
            effects=(rules.reserve_bed,),
            deadline_working_days=5,
            facility_from="payload",
            description="Allocate to an accredited care home with a free bed (reserves it).",
        ),
        Transition(
            action="accept",
            sources=(Status.ALLOCATED,),
            target=Status.WAITLISTED,
            roles=FACILITY,
            deadline_working_days=20,
            facility_from="case",
            description="The care home agrees to take the person; the bed stays reserved.",
        ),
        Transition(
            action="decline",
            sources=(Status.ALLOCATED,),
            target=Status.SUBMITTED,
            roles=FACILITY,
            effects=(rules.release_reservation,),
            deadline_working_days=10,
            facility_from="case",
            description="The care home cannot take the person; back to the district queue.",
        ),
        Transition(
            action="admit",
            sources=(Status.WAITLISTED,),
            target=Status.IN_SERVICE,
            roles=FACILITY,
            guards=(rules.admission_recorded,),
            effects=(rules.occupy_bed, rules.record_admission),
            facility_from="case",
            description="The person moved in: the reserved bed becomes occupied.",
        ),
        Transition(
            action="discharge",
            sources=(Status.IN_SERVICE,),
            target=Status.DISCHARGED,
            roles=FACILITY,
            effects=(rules.release_occupied_bed,),
            facility_from="case",
            description="The person left the care home; the bed is free again.",
        ),
        Transition(
            action="cancel",
            sources=(
                Status.DRAFT,
                Status.SUBMITTED,
                Status.RETURNED,
                Status.ALLOCATED,
                Status.WAITLISTED,
            ),
            target=Status.CANCELLED,
            roles=DISTRICT,
            guards=(rules.reason_given,),
            effects=(rules.release_reservation,),
            facility_from="case",
            description="Cancel the request (a held bed is released).",
        ),
    ),
)
