"""What happens next with a case, told to the citizen (kiosk screen, ticket, status page)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Status

NEXT_STEPS: dict[str, Promise] = {
    Status.DRAFT: _(
        "A social worker is completing your request. Bring the missing documents to the office."
    ),
    Status.SUBMITTED: _(
        "The district welfare office is reviewing your request. You will be told of its decision."
    ),
    Status.RETURNED: _(
        "Your request was sent back for a correction. See your social worker with the missing "
        "documents."
    ),
    Status.ALLOCATED: _("A care home has been chosen for you. It will confirm soon."),
    Status.WAITLISTED: _(
        "The care home has agreed to take you. Wait to be told the admission date."
    ),
    Status.IN_SERVICE: _("You are receiving the service. Nothing more is needed from you."),
    Status.DISCHARGED: _("The service has ended."),
    Status.CANCELLED: _("The request was cancelled. A social worker can explain why."),
}


def next_step(status: str) -> Promise | str:
    return NEXT_STEPS.get(status, "")
