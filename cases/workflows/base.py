"""The vocabulary workflows are declared in: a transition is data, not code paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..sla import Duration, as_duration

if TYPE_CHECKING:
    from crm.models import User

    from ..models import Case, Facility, Ward


@dataclass(frozen=True)
class Problem:
    """One thing a guard found missing: ``code`` for machines, ``message`` for people."""

    code: str
    message: str
    field: str = ""
    document: str = ""

    def as_dict(self) -> dict[str, str]:
        data = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.document:
            data["document"] = self.document
        return data


@dataclass
class TransitionContext:
    """What guards and effects of one transition see; the rows in it are locked."""

    case: Case
    actor: User
    payload: dict[str, Any]
    today: dt.date
    from_status: str
    facility: Facility | None = None
    ward: Ward | None = None
    reason: str = ""
    reason_code: str = ""
    event_payload: dict[str, Any] = field(default_factory=dict)
    # An effect may set the next step's due moment itself (e.g. a term stretched by law).
    due_at: dt.datetime | None = None


Guard = Callable[[TransitionContext], list[Problem]]
Effect = Callable[[TransitionContext], None]

#: A transition ``target`` meaning "back to the status the case was in before the current one"
#: (a suspended case resumes where it stopped).
PREVIOUS_STATUS = "<previous>"


def duty_matches(user: User, roles: frozenset[str]) -> bool:
    """``roles`` names roles ("head") or duties within a role ("commission_member:local")."""
    return user.role in roles or getattr(user, "duty", user.role) in roles


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    # How long the *next* step may take once the case is in ``target`` (None: no deadline):
    # ``sla.minutes(30)``, ``sla.hours(4)``, ``sla.working_days(2)`` or a number of working days.
    deadline: Duration | int | None = None
    # The older spelling of ``deadline=working_days(n)``; still honoured.
    deadline_working_days: int | None = None
    # Where the care home whose row must be locked comes from.
    facility_from: Literal["payload", "case"] | None = None
    description: str = ""
    # The routes of the workflow this step belongs to (empty: every route). A case takes its
    # route at its first step, e.g. the office or the rural akim (seed 004).
    routes: frozenset[str] = frozenset()
    # A step only the system's own jobs take (the registry processing's "fail", the expiry
    # job's "expire"): never offered in ``available_actions``, never accepted from the API or
    # the console; the jobs apply it with ``case_apply_action(..., internal=True)``.
    internal: bool = False

    def allows(self, user: User) -> bool:
        return duty_matches(user, self.roles)

    def on_route(self, route: str) -> bool:
        return not self.routes or not route or route in self.routes

    @property
    def step_deadline(self) -> Duration | None:
        return as_duration(self.deadline) or as_duration(self.deadline_working_days)


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    initial_status: str
    transitions: tuple[Transition, ...]
    # The first step's deadline, declared like ``Transition.deadline`` (or the older spelling).
    initial_deadline: Duration | int | None = None
    initial_deadline_working_days: int | None = None
    # The lists each role works from, by role or duty, when not simply "where it acts".
    worklists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Citizen notification per status reached: a message template code, or a function of the
    # case choosing one (None: the generic text for that status).
    notifications: Mapping[str, str | Callable[[Case], str]] = field(default_factory=dict)
    # Status words of this workflow where the shared one would mislead the citizen.
    status_words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Lists in waiting-queue order, and lists whose cases open on the decision page, by role.
    queue_statuses: tuple[str, ...] = ()
    decision_lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # More placeholders its notification texts use (case, language -> values).
    notification_values: Callable[[Case, str], dict[str, str]] | None = None

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    @property
    def statuses(self) -> list[str]:
        seen = [self.initial_status]
        for t in self.transitions:
            for status in (*t.sources, t.target):
                if status not in seen and status != PREVIOUS_STATUS:
                    seen.append(status)
        return seen

    def worklist(self, user: User) -> list[str]:
        """The statuses of this workflow the user works from, in step order."""
        for key in (getattr(user, "duty", user.role), user.role):
            if key in self.worklists:
                return list(self.worklists[key])
        acting = {s for t in self.transitions if t.allows(user) for s in t.sources}
        return [s for s in self.statuses if s in acting]

    def notification_template(self, case: Case, status: str) -> str | None:
        chosen = self.notifications.get(status)
        return chosen(case) if callable(chosen) else chosen

    def notification_context(self, case: Case, language: str) -> dict[str, str]:
        return self.notification_values(case, language) if self.notification_values else {}

    @property
    def first_step_deadline(self) -> Duration | None:
        return as_duration(self.initial_deadline) or as_duration(self.initial_deadline_working_days)

    @property
    def actions(self) -> list[str]:
        """The public actions: what callers may ask for (internal steps left out)."""
        return [t.action for t in self.transitions if not t.internal]
