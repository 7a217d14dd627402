"""Every workflow a service can follow, by the name stored on ``Service.workflow``."""

from __future__ import annotations

from .allowance import ALLOWANCE
from .base import Problem, Transition, TransitionContext, WorkflowDefinition
from .placement import PLACEMENT

WORKFLOWS: dict[str, WorkflowDefinition] = {w.name: w for w in (PLACEMENT, ALLOWANCE)}
ALL_ACTIONS: list[str] = sorted({t.action for w in WORKFLOWS.values() for t in w.transitions})


def workflow_for(name: str) -> WorkflowDefinition:
    return WORKFLOWS[name]


def workflows_acted_in(role: str) -> list[str]:
    """The workflows with a step this role (any of its commissions) takes."""
    return [
        w.name
        for w in WORKFLOWS.values()
        if any(r.split(":", 1)[0] == role for t in w.transitions for r in t.roles)
    ]


__all__ = [
    "ALL_ACTIONS",
    "WORKFLOWS",
    "Problem",
    "Transition",
    "TransitionContext",
    "WorkflowDefinition",
    "workflow_for",
    "workflows_acted_in",
]
