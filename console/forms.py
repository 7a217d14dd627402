"""Input the inbox takes from agents: bulk actions on ticked conversations, labels."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crm.models import Role, User

from . import selectors

# More than a page never needs ticking at once; the bound keeps one POST a bounded amount of work.
BULK_LIMIT = 100


class BulkForm(forms.Form):
    ACTIONS = [
        ("take", gettext_lazy("Assign to me")),
        ("assign", gettext_lazy("Assign to")),
        ("resolve", gettext_lazy("Resolve")),
    ]

    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.CharField()
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    wrap_up_code = forms.CharField(required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["assignee"].queryset = User.objects.filter(is_active=True, role=Role.AGENT)
        if self.data:
            # Ticked boxes arrive as repeated "ids" values.
            self.data = self.data.copy()
            self.data["ids"] = ",".join(self.data.getlist("ids"))

    def clean_ids(self) -> list[int]:
        ids = [int(x) for x in self.cleaned_data["ids"].split(",") if x.strip().isdigit()]
        if not ids:
            raise forms.ValidationError(_("Tick at least one conversation."))
        if len(ids) > BULK_LIMIT:
            raise forms.ValidationError(
                _("Tick at most %(n)d conversations at once.") % {"n": BULK_LIMIT}
            )
        return ids

    def clean(self) -> dict:
        data = super().clean()
        if "ids" in data:
            # Only conversations the agent can see; the services check the rest one by one.
            data["conversations"] = list(
                selectors.conversations_visible_to(user=self.user)
                .filter(pk__in=data["ids"])
                .select_related("contact", "assignee")
                .order_by("-last_activity_at", "-id")
            )
        if data.get("action") == "assign" and data.get("assignee") is None:
            # "Assign to" with nobody chosen puts the conversations back in the queue.
            data["assignee"] = None
        return data

    @staticmethod
    def done_text(action: str, count: int, assignee: User | None) -> str:
        if action == "take":
            return ngettext(
                "%(n)d conversation assigned to you.", "%(n)d conversations assigned to you.", count
            ) % {"n": count}
        if action == "assign":
            if assignee is None:
                return ngettext(
                    "%(n)d conversation put back in the queue.",
                    "%(n)d conversations put back in the queue.",
                    count,
                ) % {"n": count}
            return ngettext(
                "%(n)d conversation handed to %(name)s.",
                "%(n)d conversations handed to %(name)s.",
                count,
            ) % {"n": count, "name": assignee.get_full_name() or assignee.username}
        return ngettext("%(n)d conversation resolved.", "%(n)d conversations resolved.", count) % {
            "n": count
        }
