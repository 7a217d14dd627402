"""Every workflow a service can follow, by the name stored on ``Service.workflow``."""

from __future__ import annotations

from .allowance import ALLOWANCE
from .base import Problem, Transition, TransitionContext, WorkflowDefinition
from .organisation_mark import ORGANISATION_MARK
from .placement import PLACEMENT
from .social_assistance import SOCIAL_ASSISTANCE

WORKFLOWS: dict[str, WorkflowDefinition] = {
    w.name: w for w in (PLACEMENT, ALLOWANCE, SOCIAL_ASSISTANCE, ORGANISATION_MARK)
}
# The public action names (the API's enum); internal steps of the system's jobs are not among
# them unless another workflow declares the same name publicly.
ALL_ACTIONS: list[str] = sorted({a for w in WORKFLOWS.values() for a in w.actions})
INTERNAL_ACTIONS: list[str] = sorted(
    {t.action for w in WORKFLOWS.values() for t in w.transitions if t.internal}
)


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
    "INTERNAL_ACTIONS",
    "WORKFLOWS",
    "Problem",
    "Transition",
    "TransitionContext",
    "WorkflowDefinition",
    "workflow_for",
    "workflows_acted_in",
]
