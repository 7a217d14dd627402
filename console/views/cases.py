"""Social workers' and care-home staff's pages: worklists, a case, deciding, documents."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.points import audit_shown
from crm.errors import DomainError, ValidationFailed
from crm.ids import parse_id
from crm.jurisdiction import contacts_visible_to
from crm.models import Contact, Interaction, Role

from ..paging import bounded_figures, numbered_page, page_number
from .case_documents import _documents, _facilities
from .common import error_text, language, staff_required
from .conversations import conversation_for


def _case_for(request: HttpRequest, pk: int):
    from cases.selectors import case_get

    try:
        return case_get(user=request.user, pk=pk)
    except Exception as exc:  # Case.DoesNotExist: outside the jurisdiction reads as absent
        raise Http404(_("No such case in your area.")) from exc


# One line under the tabs saying what the list is for (seed 000's lists, per role).
LIST_HINTS = {
    ("local_worker", "draft"): gettext_lazy(
        "Saved drafts: complete the documents and health status, then submit."
    ),
    ("local_worker", "returned"): gettext_lazy(
        "Sent back by the district office with a reason: fix and submit again."
    ),
    ("local_worker", "submitted"): gettext_lazy(
        "Sent to the district office, waiting for a decision."
    ),
    ("local_worker", "waitlisted"): gettext_lazy(
        "A care home agreed to take them; waiting to move in."
    ),
    ("local_worker", "in_service"): gettext_lazy("Living in a care home."),
    ("district_worker", "submitted"): gettext_lazy(
        "Incoming requests from your khoroos and soums, in queue order. Open one to decide."
    ),
    ("district_worker", "allocated"): gettext_lazy(
        "Allocated to a care home, waiting for the home to accept."
    ),
    ("district_worker", "in_service"): gettext_lazy("Living in a care home."),
    ("district_worker", "waitlisted"): gettext_lazy(
        "Accepted by a care home, waiting for admission."
    ),
    ("district_worker", "cancelled"): gettext_lazy("Cancelled requests."),
    ("facility_staff", "allocated"): gettext_lazy("Allocated to your home: accept or decline."),
    ("facility_staff", "waitlisted"): gettext_lazy(
        "Accepted and waiting to move in: admit them when they arrive."
    ),
    ("facility_staff", "in_service"): gettext_lazy(
        "Living in your home: discharge when they leave."
    ),
    ("facility_staff", "discharged"): gettext_lazy("Have left your home."),
}


def _status_tabs(user) -> list[str]:
    from cases.selectors import every_status, worklist_statuses

    # An account whose role works no list reads them all.
    return worklist_statuses(user=user) or every_status()


WORKLIST_PAGE_SIZE = 25


@staff_required
def worklist(request: HttpRequest) -> HttpResponse:
    from cases.labels import status_label
    from cases.selectors import (
        cases_visible_to,
        decision_lists,
        for_list,
        queue_positions,
        queue_statuses,
        worklist_hint,
    )
    from cases.selectors import worklist as worklist_of

    statuses = _status_tabs(request.user)
    status = request.GET.get("status") or statuses[0]
    if status not in statuses:
        status = statuses[0]
    visible = cases_visible_to(user=request.user)
    lang = language()
    # Bounded, all tabs in one query: a national list shows "1000+" instead of counting
    # every case.
    counts = bounded_figures({s: (visible.filter(status=s), None) for s in statuses})
    tabs = [
        {
            "status": s,
            "label": status_label(s, lang),
            "count": counts[s],
            "active": s == status,
        }
        for s in statuses
    ]
    page = numbered_page(
        worklist_of(user=request.user, status=status),
        number=page_number(request.GET.get("page")),
        size=WORKLIST_PAGE_SIZE,
        details=lambda qs: for_list(qs).select_related("applicant"),
    )
    cases = page.rows
    audit_shown(request, cases)
    queued = status in queue_statuses()
    places = queue_positions(cases=cases) if queued else {}
    service_names: dict[int, str] = {}
    for case in cases:
        case.status_text = status_label(case.status, lang, case.service.workflow)
        if case.service_id not in service_names:
            service_names[case.service_id] = case.service.name_in(lang)
        case.service_text = service_names[case.service_id]
        case.position = places.get(case.pk)
    total = next(t["count"] for t in tabs if t["active"])
    return render(
        request,
        "console/worklist.html",
        {
            "tabs": tabs,
            "status": status,
            "status_text": status_label(status, lang),
            "cases": cases,
            "page": page,
            "total": total,
            "queued": queued,
            "decides": status in decision_lists(user=request.user),
            "hint": LIST_HINTS.get((request.user.role, status), "")
            or worklist_hint(user=request.user, status=status),
        },
    )


def case_context(request: HttpRequest, case, **extra) -> dict:
    from cases.labels import action_label, status_label
    from cases.models import Case, CaseEvent, ReturnReason
    from cases.selectors import available_actions, queue_position

    lang = language()
    actions = available_actions(case=case, user=request.user)
    steps = _step_descriptions(case, request.user)
    events = list(
        CaseEvent.objects.filter(case=case).select_related("actor").order_by("occurred_at", "id")
    )
    for event in events:
        event.to_text = status_label(event.to_status, lang, case.workflow)
        event.from_text = (
            status_label(event.from_status, lang, case.workflow) if event.from_status else ""
        )
        event.action_text = (
            _("Opened") if event.action == "create" else action_label(event.action, lang)
        )
    from cases.services import EDIT_ROLES, EDITABLE_STATUSES

    editable = case.status in EDITABLE_STATUSES and request.user.role in EDIT_ROLES
    notifications = list(
        Interaction.objects.filter(
            contact=case.beneficiary, direction=Interaction.Direction.OUTBOUND
        ).order_by("-occurred_at")[:10]
    )
    return {
        "case": case,
        "status_text": status_label(case.status, lang, case.workflow),
        "service_text": case.service.name_in(lang),
        "actions": [
            {"code": a, "label": action_label(a, lang), "hint": steps.get(a, "")} for a in actions
        ],
        "action_codes": set(actions),
        "events": events,
        "editable": editable,
        "may_upload": request.user.role != Role.SUPERVISOR
        and case.status not in ("cancelled", "discharged"),
        "return_reasons": ReturnReason.choices,
        "relationships": Case.Relationship.choices,
        "queue_position": queue_position(case=case),
        "facilities": _facilities(case, lang) if "allocate" in actions else [],
        "executors": _executors(case) if "assign" in actions else [],
        "papers": _papers(case),
        "document_problems": DOCUMENT_PROBLEMS,
        "notifications": notifications,
        "errors": {},
        "typed": {},
        **_documents(case, lang, request.user),
        **extra,
    }


# Why papers hold a social-assistance case up (the request_documents reason codes).
DOCUMENT_PROBLEMS = [
    ("missing", gettext_lazy("Documents missing")),
    ("damaged", gettext_lazy("Documents damaged")),
    ("lost", gettext_lazy("Documents lost")),
]


def _executors(case) -> list:
    """Executors of the offices above the case's unit, for the head to appoint one."""
    from crm.models import User

    if case.unit_id is None:
        return []
    paths = [case.unit.path[: i + 1] for i, c in enumerate(case.unit.path) if c == "/"]
    return list(
        User.objects.filter(role=Role.EXECUTOR, is_active=True, unit__path__in=paths).order_by(
            "last_name", "first_name", "username"
        )
    )


def _papers(case) -> list[dict]:
    """The printable papers this case has now (decision notice, akim's receipt)."""
    from cases.models import Route
    from cases.notice import NOTICE_STATUSES

    papers = []
    if case.route == Route.AKIM and case.events.filter(action="register").exists():
        papers.append({"code": "receipt", "label": _("Tear-off receipt")})
    if case.status in NOTICE_STATUSES and case.decision:
        papers.append({"code": "notice", "label": _("Decision notice")})
    return papers


def _step_descriptions(case, user) -> dict[str, str]:
    """What each action offered to the user does, from the workflow's own declaration."""
    from cases.workflows import workflow_for

    workflow = workflow_for(case.workflow)
    steps: dict[str, str] = {}
    for t in workflow.transitions:
        if case.status in t.sources and t.on_route(case.route) and t.allows(user):
            steps.setdefault(t.action, str(t.description))
    return steps


@staff_required
def case_paper(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    """A printable paper of the case, in the citizen's language."""
    import io

    from cases import notice

    case = _case_for(request, pk)
    render_paper = {"notice": notice.decision_notice_pdf, "receipt": notice.receipt_pdf}.get(paper)
    if render_paper is None:
        raise Http404(_("No such paper."))
    try:
        data = render_paper(case)
    except DomainError as exc:
        raise Http404(error_text(exc)) from exc
    return FileResponse(
        io.BytesIO(data), content_type="application/pdf", filename=f"{paper}-{case.number}.pdf"
    )


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    return render(request, "console/case.html", case_context(request, case))


@staff_required
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The district worker's decision page: papers, health, history, then allocate or return."""
    case = _case_for(request, pk)
    return render(request, "console/decide.html", case_context(request, case, page="decide"))


def _payload(request: HttpRequest, action: str) -> dict:
    payload: dict = {}
    # The workflow's guards check these and say what is missing.
    for key in ("reason", "reason_code", "executor", "need", "act_number", "amount"):
        if request.POST.get(key):
            payload[key] = request.POST[key].strip()
    facility = request.POST.get("facility", "")
    if action == "allocate":
        if parse_id(facility) is None:
            raise ValidationFailed(_("Choose the care home to allocate the person to."))
        payload["facility"] = parse_id(facility)
    return payload


@staff_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from cases.labels import status_label
    from cases.transitions import case_apply_action

    case = _case_for(request, pk)
    page = request.POST.get("page") == "decide"
    try:
        case = case_apply_action(
            case=case, action=action, actor=request.user, payload=_payload(request, action)
        )
    except DomainError as exc:
        from cases.selectors import available_actions

        # An action without its own form on the page (not offered to this user) reports at
        # the top of the actions panel instead.
        offered = action in available_actions(case=case, user=request.user)
        context = case_context(
            request,
            case,
            errors={action if offered else "general": error_text(exc)},
            typed={action: request.POST.dict()},
            page="decide" if page else "",
        )
        template = "console/decide.html" if page else "console/case.html"
        return render(request, template, context, status=exc.status_code)
    messages.success(
        request,
        _("Case %(number)s is now: %(status)s.")
        % {
            "number": case.number,
            "status": status_label(case.status, language(), case.workflow),
        },
    )
    return redirect("console:case", pk=case.pk)


def _parse_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@staff_required
@require_POST
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the request's parts: the reason for care and the health status (a draft is fine)."""
    from cases.services import case_update

    case = _case_for(request, pk)
    data: dict = {"reason_for_care": request.POST.get("reason_for_care", "")}
    has_disability = _parse_bool(request.POST.get("has_disability", ""))
    data["has_disability"] = has_disability
    if has_disability:
        data["disability_type"] = request.POST.get("disability_type", "")
        percent = request.POST.get("disability_percent", "").strip()
        data["disability_percent"] = (
            int(percent) if percent.isascii() and percent.isdigit() and len(percent) < 4 else None
        )
    try:
        case_update(case=case, actor=request.user, data=data)
    except DomainError as exc:
        return _edit_failed(request, case, error_text(exc))
    except Exception as exc:  # model validation (e.g. a percentage over 100)
        if exc.__class__.__name__ != "ValidationError":
            raise
        return _edit_failed(request, case, " ".join(getattr(exc, "messages", [str(exc)])))
    messages.success(request, _("Saved. You can come back and finish it later."))
    return redirect(f"{reverse('console:case', args=[case.pk])}#request")


def _edit_failed(request: HttpRequest, case, message: str) -> HttpResponse:
    context = case_context(
        request, case, errors={"edit": message}, typed={"edit": request.POST.dict()}
    )
    return render(request, "console/case.html", context, status=400)


# --- opening a case from a conversation -------------------------------------------------


@staff_required
def case_new(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """The agent, as a virtual social worker, opens a request on the citizen's behalf."""
    from cases.models import Case
    from cases.selectors import services_offered

    conversation = conversation_for(request, conversation_pk)
    lang = language()
    # The citizen's country's catalogue; the agent's own unit where we do not know theirs.
    unit = conversation.contact.address_unit or request.user.unit
    services = [(s.pk, s.name_in(lang), s.legal_basis) for s in services_offered(unit=unit)]
    context = {
        "conversation": conversation,
        "contact": conversation.contact,
        "services": services,
        "relationships": [(v, label) for v, label in Case.Relationship.choices if v],
        "errors": {},
        "typed": request.POST.dict() if request.method == "POST" else {"for": "self"},
    }
    if request.method == "POST":
        try:
            case = _create_case(request, conversation)
        except DomainError as exc:
            context["errors"]["form"] = error_text(exc)
            return render(request, "console/case_new.html", context, status=exc.status_code)
        messages.success(
            request,
            _(
                "Case %(number)s opened as a draft for %(unit)s. The local social worker there "
                "sees it in their list of saved requests."
            )
            % {"number": case.number, "unit": case.unit.name if case.unit_id else "—"},
        )
        return redirect("console:conversation", pk=conversation.pk)
    return render(request, "console/case_new.html", context)


def _create_case(request: HttpRequest, conversation):
    from cases.models import Service
    from cases.services import case_create

    caller = conversation.contact
    service_id = request.POST.get("service", "")
    service = (
        Service.objects.filter(pk=parse_id(service_id)).first() if parse_id(service_id) else None
    )
    if service is None:
        raise ValidationFailed(_("Choose the service the citizen asks for."))
    beneficiary: Contact = caller
    applicant = None
    relationship = ""
    if request.POST.get("for") == "other":
        beneficiary_id = request.POST.get("beneficiary", "")
        beneficiary = (
            contacts_visible_to(request.user).filter(pk=parse_id(beneficiary_id)).first()
            if parse_id(beneficiary_id)
            else None
        )
        if beneficiary is None:
            raise ValidationFailed(
                _(
                    "Find the person who needs the service (national ID or name) and choose "
                    "them from the results."
                )
            )
        relationship = request.POST.get("relationship", "")
        if not relationship:
            raise ValidationFailed(_("Say how the caller is related to the person."))
        applicant = caller
    if beneficiary.address_unit_id is None:
        raise ValidationFailed(
            _(
                "We do not know where %(name)s lives, so the request cannot reach a local "
                "worker. Identify them first (national ID lookup in the registry)."
            )
            % {"name": beneficiary}
        )
    origin = (
        Interaction.objects.filter(
            conversation=conversation, direction=Interaction.Direction.INBOUND
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    return case_create(
        beneficiary=beneficiary,
        service=service,
        actor=request.user,
        origin_channel=conversation.channel,
        origin_interaction=origin,
        applicant=applicant,
        applicant_relationship=relationship,
        reason_for_care=request.POST.get("reason_for_care", ""),
    )
