"""Kazakh social assistance by decision of local representative bodies (seed 004).

At the district office (route ``office``)::

    draft -register(clerk, 30 min)-> registered -assign(head, 1 h)-> assigned
      -send_to_survey(executor, 1 wd)-> in_survey -record_survey(local commission, 2 wd)->
      surveyed -send_to_review(executor, 1 wd)-> in_review -decide(special commission, 2 wd)->
      decided -prepare(executor, 1 wd)-> prepared -sign(head, 1 h)-> signed
      -issue(clerk, 30 min)-> issued

Through the rural akim (route ``akim``)::

    draft -register(akim, 30 min; tear-off receipt)-> registered
      -send_to_survey(akim, 1 wd)-> in_survey -record_survey(local commission, 2 wd)-> surveyed
      -forward(akim, 1 wd)-> forwarded -send_to_review(executor, 1 wd)-> in_review
      -decide(2 wd)-> decided -prepare(1 h here)-> prepared -sign(1 h)-> signed
      -send_to_akim(clerk, 1 wd)-> sent_to_akim -issue(akim, 30 min)-> issued

A deadline declared on a transition is the time the *next* step has, so each step's term
from the regulation sits on the transition that hands the case to it. Whoever finds papers
missing or lost suspends the case (``request_documents``): the whole service may then take
20 working days from registration; ``resume`` returns the case to the step it left.
The head cancels, with a reason, a case that cannot go on.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.models import Role

from ..models import Decision, Route, Status, Workflow
from ..sla import hours, minutes, working_days
from . import assistance as rules
from .base import PREVIOUS_STATUS, Transition, WorkflowDefinition

CLERK = frozenset({Role.CLERK})
HEAD = frozenset({Role.HEAD})
EXECUTOR = frozenset({Role.EXECUTOR})
AKIM = frozenset({Role.AKIM})
LOCAL_COMMISSION = frozenset({f"{Role.COMMISSION_MEMBER}:local"})
SPECIAL_COMMISSION = frozenset({f"{Role.COMMISSION_MEMBER}:special"})
EVERY_STEP = CLERK | HEAD | EXECUTOR | AKIM | LOCAL_COMMISSION | SPECIAL_COMMISSION

OFFICE = frozenset({Route.OFFICE})
VIA_AKIM = frozenset({Route.AKIM})

# Steps that are running (a case there can be suspended for papers, or cancelled).
IN_PROGRESS = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.IN_SURVEY,
    Status.SURVEYED,
    Status.FORWARDED,
    Status.IN_REVIEW,
)


def _decision_notice(case) -> str:
    if case.decision == Decision.ASSIGNED:
        return "case_social_assistance_issued_assigned"
    return "case_social_assistance_issued_refused"


def _notification_values(case, language: str) -> dict[str, str]:
    from ..notice import money

    amount = case.assistance_amount
    return {"amount": money(amount, case.service.currency) if amount is not None else ""}


SOCIAL_ASSISTANCE = WorkflowDefinition(
    name=Workflow.SOCIAL_ASSISTANCE,
    initial_status=Status.DRAFT,
    # Receiving and registering the papers: 30 minutes at the office or at the akim's.
    initial_deadline=minutes(30),
    transitions=(
        Transition(
            action="register",
            sources=(Status.DRAFT,),
            target=Status.REGISTERED,
            roles=CLERK,
            routes=OFFICE,
            effects=(rules.take_route(Route.OFFICE),),
            deadline=hours(1),
            description=_("Register the application and pass it to the head."),
        ),
        Transition(
            action="register",
            sources=(Status.DRAFT,),
            target=Status.REGISTERED,
            roles=AKIM,
            routes=VIA_AKIM,
            effects=(rules.take_route(Route.AKIM),),
            deadline=working_days(1),
            description=_("Register the application and give the citizen the tear-off receipt."),
        ),
        Transition(
            action="assign",
            sources=(Status.REGISTERED,),
            target=Status.ASSIGNED,
            roles=HEAD,
            routes=OFFICE,
            guards=(rules.executor_chosen,),
            effects=(rules.appoint_executor,),
            deadline=working_days(1),
            description=_("Appoint the responsible executor."),
        ),
        Transition(
            action="send_to_survey",
            sources=(Status.ASSIGNED,),
            target=Status.IN_SURVEY,
            roles=EXECUTOR,
            routes=OFFICE,
            guards=(rules.application_documents_present,),
            deadline=working_days(2),
            description=_("Send the file to the local commission for the means survey."),
        ),
        Transition(
            action="send_to_survey",
            sources=(Status.REGISTERED,),
            target=Status.IN_SURVEY,
            roles=AKIM,
            routes=VIA_AKIM,
            guards=(rules.application_documents_present,),
            deadline=working_days(2),
            description=_("Pass the papers to the local commission for the means survey."),
        ),
        Transition(
            action="record_survey",
            sources=(Status.IN_SURVEY,),
            target=Status.SURVEYED,
            roles=LOCAL_COMMISSION,
            guards=(rules.survey_concluded,),
            effects=(rules.keep_survey,),
            deadline=working_days(1),
            description=_("Record the survey act and the conclusion on need."),
        ),
        Transition(
            action="forward",
            sources=(Status.SURVEYED,),
            target=Status.FORWARDED,
            roles=AKIM,
            routes=VIA_AKIM,
            deadline=working_days(1),
            description=_("Forward the act, the conclusion and the papers to the office."),
        ),
        Transition(
            action="send_to_review",
            sources=(Status.SURVEYED,),
            target=Status.IN_REVIEW,
            roles=EXECUTOR,
            routes=OFFICE,
            guards=(rules.household_known,),
            effects=(rules.compute_per_capita_income,),
            deadline=working_days(2),
            description=_(
                "Compute the per-capita income; send the file to the special commission."
            ),
        ),
        Transition(
            action="send_to_review",
            sources=(Status.FORWARDED,),
            target=Status.IN_REVIEW,
            roles=EXECUTOR,
            routes=VIA_AKIM,
            guards=(rules.household_known,),
            effects=(rules.compute_per_capita_income,),
            deadline=working_days(2),
            description=_(
                "Compute the per-capita income; send the file to the special commission."
            ),
        ),
        Transition(
            action="decide",
            sources=(Status.IN_REVIEW,),
            target=Status.DECIDED,
            roles=SPECIAL_COMMISSION,
            routes=OFFICE,
            guards=(rules.decision_complete,),
            effects=(rules.keep_decision,),
            deadline=working_days(1),
            description=_("Conclude on need and, when positive, the amount."),
        ),
        Transition(
            action="decide",
            sources=(Status.IN_REVIEW,),
            target=Status.DECIDED,
            roles=SPECIAL_COMMISSION,
            routes=VIA_AKIM,
            guards=(rules.decision_complete,),
            effects=(rules.keep_decision,),
            # Through the akim the executor has one hour, not one day, to prepare the result.
            deadline=hours(1),
            description=_("Conclude on need and, when positive, the amount."),
        ),
        Transition(
            action="prepare",
            sources=(Status.DECIDED,),
            target=Status.PREPARED,
            roles=EXECUTOR,
            deadline=hours(1),
            description=_("Prepare the decision notice for the head's signature."),
        ),
        Transition(
            action="sign",
            sources=(Status.PREPARED,),
            target=Status.SIGNED,
            roles=HEAD,
            routes=OFFICE,
            effects=(rules.record_signature,),
            deadline=minutes(30),
            description=_("Sign the decision notice."),
        ),
        Transition(
            action="sign",
            sources=(Status.PREPARED,),
            target=Status.SIGNED,
            roles=HEAD,
            routes=VIA_AKIM,
            effects=(rules.record_signature,),
            deadline=working_days(1),
            description=_("Sign the decision notice."),
        ),
        Transition(
            action="issue",
            sources=(Status.SIGNED,),
            target=Status.ISSUED,
            roles=CLERK,
            routes=OFFICE,
            description=_("Register the decision notice and hand it to the citizen."),
        ),
        Transition(
            action="send_to_akim",
            sources=(Status.SIGNED,),
            target=Status.SENT_TO_AKIM,
            roles=CLERK,
            routes=VIA_AKIM,
            deadline=minutes(30),
            description=_("Register the decision notice and send it to the rural akim."),
        ),
        Transition(
            action="issue",
            sources=(Status.SENT_TO_AKIM,),
            target=Status.ISSUED,
            roles=AKIM,
            routes=VIA_AKIM,
            description=_("Hand the decision notice to the citizen."),
        ),
        Transition(
            action="request_documents",
            sources=IN_PROGRESS,
            target=Status.SUSPENDED,
            roles=EVERY_STEP,
            guards=(rules.documents_problem_stated,),
            effects=(rules.extend_term,),
            description=_(
                "Papers are missing, damaged or lost: ask the citizen; the term becomes 20 "
                "working days."
            ),
        ),
        Transition(
            action="resume",
            sources=(Status.SUSPENDED,),
            target=PREVIOUS_STATUS,
            roles=EVERY_STEP,
            effects=(rules.restart_step,),
            description=_("The papers arrived: continue at the step that stopped."),
        ),
        Transition(
            action="cancel",
            sources=(Status.DRAFT, *IN_PROGRESS, Status.SUSPENDED),
            target=Status.CANCELLED,
            roles=HEAD | AKIM,
            guards=(rules.cancel_reason_given,),
            description=_("Stop the application (the citizen withdrew it, or it cannot go on)."),
        ),
    ),
    worklists={
        Role.CLERK: (Status.DRAFT, Status.SIGNED, Status.SUSPENDED, Status.ISSUED),
        Role.HEAD: (Status.REGISTERED, Status.PREPARED, Status.SUSPENDED, Status.CANCELLED),
        Role.EXECUTOR: (
            Status.ASSIGNED,
            Status.SURVEYED,
            Status.FORWARDED,
            Status.DECIDED,
            Status.SUSPENDED,
        ),
        f"{Role.COMMISSION_MEMBER}:local": (Status.IN_SURVEY, Status.SURVEYED),
        f"{Role.COMMISSION_MEMBER}:special": (Status.IN_REVIEW, Status.DECIDED),
        Role.AKIM: (
            Status.DRAFT,
            Status.REGISTERED,
            Status.SURVEYED,
            Status.SENT_TO_AKIM,
            Status.SUSPENDED,
            Status.ISSUED,
        ),
        Role.AGENT: (Status.DRAFT, Status.SUSPENDED),
    },
    notification_values=_notification_values,
    notifications={
        Status.REGISTERED: "case_social_assistance_registered",
        Status.ASSIGNED: "case_social_assistance_progress",
        Status.IN_SURVEY: "case_social_assistance_in_survey",
        Status.SURVEYED: "case_social_assistance_progress",
        Status.FORWARDED: "case_social_assistance_progress",
        Status.IN_REVIEW: "case_social_assistance_progress",
        Status.DECIDED: "case_social_assistance_progress",
        Status.PREPARED: "case_social_assistance_progress",
        Status.SIGNED: "case_social_assistance_progress",
        Status.SUSPENDED: "case_social_assistance_suspended",
        Status.SENT_TO_AKIM: "case_social_assistance_sent_to_akim",
        Status.ISSUED: _decision_notice,
        Status.CANCELLED: "case_social_assistance_cancelled",
    },
)

#: The term of the whole service when papers are missing, damaged or lost.
EXTENDED_TERM = working_days(20)
