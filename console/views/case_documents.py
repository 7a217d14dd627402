"""A case's papers on the console: the list with what is valid, uploading several files at
once, opening one, and the care homes the allocate form offers.

The rules (how long a paper is valid, who may open a health paper, which homes may be
chosen) are the cases app's; these views only show them.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from cases.documents import MAX_DOCUMENT_BYTES, may_open_document
from cases.models import CaseDocument
from crm.errors import DomainError

from ..document_forms import MAX_FILES, upload_formset
from .common import error_text, language, staff_required


def _case_for(request: HttpRequest, pk: int):
    from cases.selectors import case_get

    try:
        return case_get(user=request.user, pk=pk)
    except Exception as exc:  # Case.DoesNotExist: outside the jurisdiction reads as absent
        raise Http404(_("No such case in your area.")) from exc


def _documents(case, lang: str, user=None) -> dict:
    """The service's document list with what was uploaded for each, and the office papers.

    Valid/expired comes from the cases app (calendar months, as the submit step checks);
    ``entries`` say per file whether ``user`` may open it (health papers: not the call centre).
    """
    from cases.selectors import case_document_rows, case_office_documents

    rows = []
    for row in case_document_rows(case=case, user=user):
        rows.append(
            {
                "required": row.required,
                "name": row.required.name_in(lang),
                "files": [f.document for f in row.files],
                "entries": row.files,
                "applies": row.applies,
                "mandatory": row.mandatory,
                "health": row.health,
                "valid_months": row.required.valid_months,
                "valid_until": row.valid_until,
                "state": row.state,
                "stale": row.valid is False,
            }
        )
    office = case_office_documents(case=case, user=user)
    kinds = {d.document.kind for d in office}
    return {
        "document_rows": rows,
        "health_rows": [r for r in rows if r["health"]],
        "office_documents": [d.document for d in office],
        "office_entries": office,
        "office_kinds": [
            (k, label) for k, label in CaseDocument.Kind.choices if k != CaseDocument.Kind.REQUIRED
        ],
        "has_decree": CaseDocument.Kind.GOVERNOR_DECREE in kinds,
        "has_letter": CaseDocument.Kind.WELFARE_LETTER in kinds,
        "upload_formset": upload_formset(case, lang),
        "upload_limits": {"files": MAX_FILES, "megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024)},
    }


def _facilities(case, lang: str) -> list[dict]:
    """The allocate form's care homes, as the cases app answers which may be chosen.

    ``beds`` are those of the ward the person would go to (their sex's, else the mixed one),
    the beds the allocate step reserves from; ``home_beds`` the whole home's.
    """
    from cases.selectors import case_facility_choices

    rows = []
    for choice in case_facility_choices(case=case):
        wards = list(choice.facility.wards.all())
        rows.append(
            {
                "facility": choice.facility,
                "ward": choice.ward,
                "beds": {"free": choice.free, "capacity": choice.capacity},
                "home_beds": {
                    "free": sum(w.free for w in wards),
                    "capacity": sum(w.capacity for w in wards),
                },
                "accredited": choice.accredited,
                "nearby": choice.nearby,
                "selectable": choice.selectable,
                "problem": choice.problem,
            }
        )
    return rows


@staff_required
@require_POST
def case_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Store every acceptable file of the post; say exactly which were refused and why."""
    from cases.services import case_document_add

    case = _case_for(request, pk)
    page = request.POST.get("page") == "decide"
    lang = language()
    formset = upload_formset(case, lang, request.POST, request.FILES)
    stored: list[str] = []
    failed = False
    if not formset.management_form.is_valid():
        failed = True
    else:
        for form in formset.forms:
            if not form.has_changed():
                continue
            if not form.is_valid():
                failed = True
                continue
            try:
                document = case_document_add(
                    case=case,
                    actor=request.user,
                    file=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    required_document=form.required_document,
                    issue_date=form.cleaned_data.get("issue_date"),
                )
            except DomainError as exc:
                if exc.status_code != 400:
                    # Not the file's fault (a closed case, a supervisor): nothing is taken.
                    return _upload_failed(request, case, error_text(exc), page, exc.status_code)
                form.add_error(None, error_text(exc))
                failed = True
                continue
            stored.append(document.original_name or document.get_kind_display())
        if not stored and not failed:
            formset.full_clean()  # reports "choose at least one file"
            failed = True
    if stored:
        messages.success(
            request,
            ngettext(
                "Uploaded %(count)d file: %(names)s.",
                "Uploaded %(count)d files: %(names)s.",
                len(stored),
            )
            % {"names": ", ".join(stored), "count": len(stored)},
        )
    if failed:
        summary = (
            _("The files marked below were not stored; the others were.")
            if stored
            else _("Nothing was stored: see what is wrong with each file below.")
        )
        return _upload_failed(request, case, summary, page, 400, formset=formset)
    target = "console:case_decide" if page else "console:case"
    return redirect(f"{reverse(target, args=[case.pk])}#documents")


def _upload_failed(request, case, message: str, page: bool, status: int, formset=None):
    from .cases import case_context

    extra = {"upload_error": message, "page": "decide" if page else ""}
    if formset is not None:
        extra["upload_formset"] = formset
        extra["upload_refused"] = [
            {"name": getattr(form.files.get(f"{form.prefix}-file"), "name", ""), "form": form}
            for form in formset.forms
            if form.has_changed() and form.errors
        ]
    context = case_context(request, case, **extra)
    template = "console/decide.html" if page else "console/case.html"
    return render(request, template, context, status=status)


@staff_required
@xframe_options_sameorigin
# The page's preview pane frames the file: this response, unlike the pages, may be framed by
# the console itself (still never by another site).
@csp_replace({"frame-ancestors": [SELF]})
def case_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The file itself, inline, for the preview pane (only for people who may see the case;
    health papers only for those who may open them)."""
    case = _case_for(request, pk)
    document = case.documents.select_related("required_document").filter(pk=document_pk).first()
    if document is None:
        raise Http404(_("No such document."))
    if not may_open_document(request.user, document):
        # A page saying why, in the reader's language (no link leads here: a typed address).
        return render(request, "console/document_closed.html", {"case": case}, status=403)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = "inline"
    return response
