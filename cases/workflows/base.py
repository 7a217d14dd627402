"""The vocabulary workflows are declared in: a transition is data, not code paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


Guard = Callable[[TransitionContext], list[Problem]]
Effect = Callable[[TransitionContext], None]


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

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    @property
    def first_step_deadline(self) -> Duration | None:
        return as_duration(self.initial_deadline) or as_duration(self.initial_deadline_working_days)

    @property
    def actions(self) -> list[str]:
        return [t.action for t in self.transitions]
