"""The case page's inputs as Django forms: they check the shape of what was typed.

Whether the step may happen (papers, free beds, the right role) is the workflow's answer
(``cases.transitions.case_apply_action``); a form only turns the POST into its payload.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ReturnReason

# Steps that cannot be taken back by the person who takes them: they ask for a confirmation.
IRREVERSIBLE_ACTIONS = frozenset(
    {
        "accept",
        "admit",
        "approve",
        "cancel",
        "decide",
        "decline",
        "discharge",
        "issue",
        "reject",
        "sign",
        "withdraw",
    }
)

# What the confirmation says will happen, per action.
CONFIRMATIONS = {
    "accept": _("Accept this person into your care home? The bed stays reserved for them."),
    "admit": _("Record that the person moved in on this day, in this bed?"),
    "approve": _("Approve this request? The citizen is told at once."),
    "cancel": _("Cancel this request? It cannot be reopened."),
    "decide": _("Record the decision? The citizen is told the outcome."),
    "decline": _("Decline this person? The bed is released and the request goes back."),
    "discharge": _("Record that the person left the care home? The bed becomes free."),
    "issue": _("Issue the decision to the citizen?"),
    "reject": _("Reject this request? The citizen is told at once."),
    "sign": _("Sign the decision? It cannot be changed afterwards."),
    "withdraw": _("Withdraw this request? It cannot be reopened."),
}


def form_error_text(form: forms.Form) -> str:
    """Every error of the form as one line, each field's named ("Bed: This field is required.")."""
    parts = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        label = (
            f"{field.label}: " if field is not None and field.label and name != "confirmed" else ""
        )
        parts.extend(f"{label}{m}" for m in messages)
    return " ".join(parts)


YES_NO = [("", _("— choose —")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ActionForm(forms.Form):
    """An action with nothing to fill in; subclasses add the action's own fields."""

    # The fields passed on to the workflow (the guards say what is missing).
    payload_fields: tuple[str, ...] = ()

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        if action in IRREVERSIBLE_ACTIONS:
            self.fields["confirmed"] = forms.BooleanField(
                label=CONFIRMATIONS.get(action, _("Yes, I am sure.")),
                error_messages={"required": _("Confirm the step first: it cannot be undone.")},
            )

    @property
    def confirmation(self) -> str:
        return str(CONFIRMATIONS.get(self.action, "")) if "confirmed" in self.fields else ""

    def payload(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name] for name in self.payload_fields if data.get(name) not in (None, "")
        }

    def error_text(self) -> str:
        return form_error_text(self)


class ReasonForm(ActionForm):
    payload_fields = ("reason",)
    reason = forms.CharField(label=_("Reason"), max_length=2000, strip=True)


class OptionalReasonForm(ActionForm):
    payload_fields = ("reason",)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class ReturnForm(ActionForm):
    payload_fields = ("reason_code", "reason")
    reason_code = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)
    reason = forms.CharField(label=_("What exactly should be fixed"), max_length=2000)


class AllocateForm(ActionForm):
    payload_fields = ("facility",)
    facility = forms.IntegerField(
        label=_("Care home"),
        min_value=1,
        error_messages={
            "required": _("Choose the care home to allocate the person to."),
            "invalid": _("Choose the care home to allocate the person to."),
        },
    )


class AdmitForm(ActionForm):
    payload_fields = ("admitted_on", "room", "bed")
    admitted_on = forms.DateField(
        label=_("Moved in on"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD.")},
    )
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    bed = forms.CharField(label=_("Bed"), max_length=20)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["admitted_on"].initial = timezone.localdate()


class AssignForm(ActionForm):
    payload_fields = ("executor",)
    executor = forms.IntegerField(
        label=_("Responsible executor"),
        min_value=1,
        error_messages={"required": _("Choose the responsible executor.")},
    )


class NeedForm(ActionForm):
    need = forms.TypedChoiceField(
        label=_("Does the family need social assistance?"),
        choices=YES_NO[1:],
        coerce=_yes_no,
        error_messages={"required": _("Say whether the family needs social assistance.")},
    )


class SurveyForm(NeedForm):
    payload_fields = ("need", "act_number")
    act_number = forms.CharField(label=_("Number of the survey act"), max_length=50)


class DecideForm(NeedForm):
    payload_fields = ("need", "amount")
    amount = forms.DecimalField(
        label=_("Amount of assistance"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    def payload(self) -> dict:
        payload = super().payload()
        if "amount" in payload:  # the event's payload is JSON
            payload["amount"] = str(payload["amount"])
        return payload


class RequestDocumentsForm(ActionForm):
    payload_fields = ("reason_code", "reason")
    reason_code = forms.ChoiceField(
        label=_("What is wrong with the papers"),
        choices=[("missing", ""), ("damaged", ""), ("lost", "")],
    )
    reason = forms.CharField(label=_("Which papers the citizen must bring"), max_length=2000)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "allocate": AllocateForm,
    "admit": AdmitForm,
    "assign": AssignForm,
    "cancel": ReasonForm,
    "decide": DecideForm,
    "decline": OptionalReasonForm,
    "record_survey": SurveyForm,
    "reject": OptionalReasonForm,
    "request_documents": RequestDocumentsForm,
    "return": ReturnForm,
    "withdraw": OptionalReasonForm,
}


def action_form(action: str, data=None) -> ActionForm:
    return ACTION_FORMS.get(action, ActionForm)(data, action=action)


class CaseRequestForm(forms.Form):
    """The request's own parts: the reason for care and the health status."""

    reason_for_care = forms.CharField(
        label=_("Why the person needs the service"), required=False, max_length=5000
    )
    has_disability = forms.TypedChoiceField(
        label=_("Does the person have a disability?"),
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    disability_type = forms.CharField(label=_("Type of disability"), required=False, max_length=200)
    disability_percent = forms.IntegerField(
        label=_("Lost working capacity (%)"), required=False, min_value=0, max_value=100
    )

    @classmethod
    def for_case(cls, case: Case) -> CaseRequestForm:
        has = {True: "yes", False: "no"}.get(case.has_disability, "")
        return cls(
            initial={
                "reason_for_care": case.reason_for_care,
                "has_disability": has,
                "disability_type": case.disability_type,
                "disability_percent": case.disability_percent,
            }
        )

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if not data["has_disability"]:
            data.pop("disability_type")
            data.pop("disability_percent")
        return data

    def error_text(self) -> str:
        return form_error_text(self)


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseTaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=None, empty_label=_("— choose —")
    )
    due_on = forms.DateField(
        label=_("Due"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD.")},
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        from cases.selectors import task_assignees

        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = task_assignees(case=case)
        field.label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} · {u.get_role_display()}"
        )


class WorklistFilterForm(forms.Form):
    """The worklist's search box and filters (all optional)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int)
    unit = forms.TypedChoiceField(label=_("Khoroo / soum"), required=False, coerce=int)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, services: list[tuple[int, str]], units: list[tuple[int, str]], **kw):
        super().__init__(*args, **kw)
        self.fields["service"].choices = [("", _("All services")), *services]
        self.fields["unit"].choices = [("", _("All units")), *units]
