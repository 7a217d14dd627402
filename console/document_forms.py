"""The case page's upload form: several files at once, each with its document type and date.

A formset: one form per file. The drop zone's script adds a form for every file dropped or
chosen; without the script the page shows one plain row. Every file is checked on its own by
the cases app's rule (its bytes, its size), so a refused file never stops the others.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.documents import MAX_DOCUMENT_BYTES, upload_problem
from cases.models import Case, CaseDocument, RequiredDocument

# Files one post may carry: a whole application's papers, not a dump of a folder.
MAX_FILES = 20
REQUIRED_PREFIX = "required:"


def document_choices(case: Case, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The service's papers ("required:<id>") and the offices' papers (their kind), grouped."""
    service_papers = [
        (f"{REQUIRED_PREFIX}{d.pk}", d.name_in(language)) for d in case.service.documents.all()
    ]
    office_papers = [
        (kind, str(label))
        for kind, label in CaseDocument.Kind.choices
        if kind != CaseDocument.Kind.REQUIRED
    ]
    return [
        (str(_("Documents of the service")), service_papers),
        (str(_("Papers from the offices")), office_papers),
    ]


class DocumentFileForm(forms.Form):
    file = forms.FileField(label=_("File"))
    document = forms.ChoiceField(label=_("Document type"))
    issue_date = forms.DateField(
        label=_("Issued on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, case: Case, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["document"].choices = [
            ("", _("— choose the document —")),
            *document_choices(case, language),
        ]
        self.fields["issue_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = upload_problem(upload)
        if problem == "too_large":
            raise forms.ValidationError(
                _("%(name)s is %(size).1f MB; files may be at most %(limit)d MB.")
                % {
                    "name": upload.name,
                    "size": upload.size / 1024 / 1024,
                    "limit": MAX_DOCUMENT_BYTES // (1024 * 1024),
                },
                code="too_large",
            )
        if problem == "not_allowed":
            raise forms.ValidationError(
                _("%(name)s is not a PDF, JPEG or PNG file. Scan or photograph the paper again.")
                % {"name": upload.name},
                code="not_allowed",
            )
        return upload

    def clean_issue_date(self):
        day = self.cleaned_data.get("issue_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The issue date is in the future."), code="future")
        return day

    def clean(self):
        data = super().clean()
        choice = data.get("document") or ""
        data["kind"] = CaseDocument.Kind.REQUIRED
        data["required_document"] = None
        if choice.startswith(REQUIRED_PREFIX):
            required = self.case.service.documents.filter(
                pk=choice.removeprefix(REQUIRED_PREFIX)
            ).first()
            data["required_document"] = required
            if required is not None and required.valid_months and not data.get("issue_date"):
                self.add_error(
                    "issue_date",
                    _("Give the issue date: this paper is valid for %(months)s months.")
                    % {"months": required.valid_months},
                )
        elif choice:
            data["kind"] = choice
        return data

    @property
    def required_document(self) -> RequiredDocument | None:
        return self.cleaned_data.get("required_document")


class BaseDocumentFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("file") for form in self.forms):
            raise forms.ValidationError(
                _("Choose or drop at least one file (PDF, JPEG or PNG)."), code="empty"
            )


DocumentFormSet = forms.formset_factory(
    DocumentFileForm,
    formset=BaseDocumentFormSet,
    extra=1,
    max_num=MAX_FILES,
    absolute_max=MAX_FILES,
    validate_max=True,
)

UPLOAD_PREFIX = "doc"


def upload_formset(case: Case, language: str, data=None, files=None) -> BaseDocumentFormSet:
    return DocumentFormSet(
        data,
        files,
        prefix=UPLOAD_PREFIX,
        form_kwargs={"case": case, "language": language},
    )
