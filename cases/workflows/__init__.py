"""Every workflow a service can follow, by the name stored on ``Service.workflow``."""

from __future__ import annotations

from .allowance import ALLOWANCE
from .base import Problem, Transition, TransitionContext, WorkflowDefinition
from .placement import PLACEMENT

WORKFLOWS: dict[str, WorkflowDefinition] = {w.name: w for w in (PLACEMENT, ALLOWANCE)}
ALL_ACTIONS: list[str] = sorted({t.action for w in WORKFLOWS.values() for t in w.transitions})


def workflow_for(name: str) -> WorkflowDefinition:
    return WORKFLOWS[name]


__all__ = [
    "ALL_ACTIONS",
    "WORKFLOWS",
    "Problem",
    "Transition",
    "TransitionContext",
    "WorkflowDefinition",
    "workflow_for",
]
