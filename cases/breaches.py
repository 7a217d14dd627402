"""Missed deadlines, recorded once and kept, and the time each step of a case took.

Missed deadlines: the record of who let which step run late.

A breach names what was late (a case's step, a first reply to a citizen, a promised call back),
who held it, when it was due and when the periodic check found it. Those facts are written
once: the next step of the same case is a new row, never an update of this one. What happens
afterwards (the holder told, the supervisors above told, the step finally done) is stamped on
the row as it happens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import AdminUnit, Conversation


class Breach(models.Model):
    class Kind(models.TextChoices):
        CASE_STEP = "case_step", _("Case step")
        FIRST_REPLY = "first_reply", _("First reply")
        CALLBACK = "callback", _("Call back")

    class Level(models.IntegerChoices):
        HOLDER = 0, _("Worker")
        DISTRICT = 1, _("District supervisor")
        PROVINCE = 2, _("Province supervisor")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
    )
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A callback task lives in the channel hub, which the core does not import: its id only.
    callback_id = models.PositiveBigIntegerField(_("callback"), null=True, blank=True)
    step = models.CharField(
        _("step"), max_length=40, blank=True, help_text=_("The case's status while late.")
    )
    step_started_at = models.DateTimeField(_("step started at"))
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches_held",
    )
    holder_role = models.CharField(_("role responsible"), max_length=30, blank=True)
    due_at = models.DateTimeField(_("due at"))
    breached_at = models.DateTimeField(_("breach found at"), default=timezone.now)
    notified_at = models.DateTimeField(_("worker told at"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("escalated to"), choices=Level.choices, default=Level.HOLDER
    )
    escalated_to_district_at = models.DateTimeField(null=True, blank=True)
    escalated_to_province_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(
        _("step done at"), null=True, blank=True, help_text=_("When the late step was done.")
    )

    class Meta:
        verbose_name = _("missed deadline")
        verbose_name_plural = _("missed deadlines")
        ordering = ["-breached_at", "-id"]
        indexes = [
            models.Index(fields=["resolved_at", "unit"], name="breach_open_unit_idx"),
            models.Index(fields=["holder", "resolved_at"], name="breach_holder_idx"),
        ]
        constraints = [
            # Found twice by two runs of the check, a late step is still one breach.
            models.UniqueConstraint(
                fields=["case", "step_started_at"],
                condition=Q(kind="case_step"),
                name="breach_once_per_case_step",
            ),
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(kind="first_reply"),
                name="breach_once_per_first_reply",
            ),
            models.UniqueConstraint(
                fields=["callback_id", "due_at"],
                condition=Q(kind="callback"),
                name="breach_once_per_callback_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.step} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class StepTime(models.Model):
    """How long one step of one case took, written when the case leaves the step.

    The casework figures (median and 90th percentile per step and unit, share within deadline)
    read this table with GROUP BY instead of pairing up the case history on every page view.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="step_times")
    step = models.CharField(_("step"), max_length=40)
    service = models.ForeignKey("cases.Service", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    left_at = models.DateTimeField(_("left at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    seconds = models.PositiveBigIntegerField(_("seconds in the step"))
    within_deadline = models.BooleanField(_("within the deadline"))

    class Meta:
        verbose_name = _("time in a step")
        verbose_name_plural = _("times in steps")
        ordering = ["-left_at", "-id"]
        indexes = [models.Index(fields=["left_at", "step"], name="steptime_left_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.seconds}s"
