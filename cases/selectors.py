"""Reads of cases, always through the caller's jurisdiction unless the name says otherwise."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from crm.countries import country_of, country_prefix
from crm.jurisdiction import unit_scope
from crm.models import AdminUnit, Contact, Role, User

from .documents import issue_date_valid, may_open_document, valid_until
from .models import (
    Case,
    CaseDocument,
    Facility,
    FacilityStaff,
    RequiredDocument,
    Service,
    Status,
    Ward,
    Workflow,
)
from .workflows import WORKFLOWS, workflow_for, workflows_acted_in

# Offices of one regulation (seed 004) see only the cases of the workflows they take steps in,
# in their unit and below: a clerk has no business with care-home placements.
STEP_ROLES = frozenset({Role.CLERK, Role.HEAD, Role.EXECUTOR, Role.COMMISSION_MEMBER, Role.AKIM})

# Who reads every list rather than working from some.
OVERSEERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def worklist_statuses(*, user: User) -> list[str]:
    """The lists (statuses) the user works from, from the workflows' own declarations.

    Every workflow's lists for the user's role in declaration order, without repeats;
    supervisors and administrators read every status of every workflow.
    """
    if user.role in OVERSEERS:
        return every_status()
    statuses: list[str] = []
    for workflow in WORKFLOWS.values():
        statuses += [s for s in workflow.worklist(user) if s not in statuses]
    return statuses


def queue_statuses() -> set[str]:
    """Lists shown in waiting-queue order (with each case's place)."""
    return {s for w in WORKFLOWS.values() for s in w.queue_statuses}


def decision_lists(*, user: User) -> set[str]:
    """The user's lists whose cases open on the decision page."""
    return {s for w in WORKFLOWS.values() for s in w.decision_lists.get(user.role, ())}


def worklist_hint(*, user: User, status: str) -> str:
    """What the user does with the cases of one list, from the workflows' step descriptions."""
    hints: list[str] = []
    for workflow in WORKFLOWS.values():
        for t in workflow.transitions:
            if status in t.sources and t.allows(user) and t.description:
                text = str(t.description)
                if text not in hints:
                    hints.append(text)
                break  # the list's main step: the first declared
    return " ".join(hints)


def every_status() -> list[str]:
    """Every status of every workflow, each workflow's in step order."""
    statuses: list[str] = []
    for workflow in WORKFLOWS.values():
        statuses += [s for s in workflow.statuses if s not in statuses]
    return statuses


def services_offered(
    *, unit: AdminUnit | None = None, country: str | None = None
) -> QuerySet[Service]:
    """The catalogue of one country: ``country`` if given, else the unit's (else the default).

    A citizen is offered the services of the country their case's unit is in, in its currency.
    """
    return Service.objects.filter(is_active=True, country=country or country_of(unit))


def facility_of(*, user: User) -> Facility | None:
    """The care home a facility-staff account works in."""
    link = FacilityStaff.objects.select_related("facility").filter(user_id=user.pk).first()
    return link.facility if link else None


def _active(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """Cases of the user's unit and below; facility staff: cases placed in their home."""
    cases = Case.objects.all()
    if not _active(user):
        return cases.none()
    if user.sees_everything:
        return cases
    if user.role == Role.FACILITY_STAFF:
        facility_ids = FacilityStaff.objects.filter(user_id=user.pk).values("facility_id")
        return cases.filter(facility_id__in=facility_ids)
    if user.role in STEP_ROLES:
        cases = cases.filter(service__workflow__in=workflows_acted_in(user.role))
    if user.unit_id and user.unit.level == AdminUnit.Level.DISTRICT:
        # Same set as the unit-path rule (a case's district is its unit's level-2 ancestor),
        # but indexed: the district's lists read case_queue_idx instead of scanning cases.
        return cases.filter(district_id=user.unit_id)
    if user.unit_id and user.unit.level == AdminUnit.Level.SUBDISTRICT:
        return cases.filter(unit_id=user.unit_id)  # a bag/khoroo has no units below it
    return cases.filter(unit_scope(user, "unit", unplaced_country_field="beneficiary__country"))


def facilities_scope(user: User) -> Q:
    if not _active(user):
        return Q(pk__in=[])
    if user.sees_everything:
        return Q()
    unit = user.unit
    if unit is None and user.role == Role.FACILITY_STAFF:
        home = facility_of(user=user)
        unit = home.unit if home else None
    if unit is None:
        return Q(pk__in=[])
    return Q(unit__path__startswith=country_prefix(unit))


def case_get(*, user: User, pk: int) -> Case:
    """The case if the user may see it; Case.DoesNotExist otherwise (a 404, never a 403)."""
    return with_details(cases_visible_to(user=user)).get(pk=pk)


def with_details(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related(
        "service", "beneficiary", "applicant", "unit", "facility", "ward", "created_by"
    ).prefetch_related("assigned_workers")


def for_list(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a row of a case list shows (number, person, service, unit, care home)."""
    return qs.select_related("service", "beneficiary", "unit", "facility")


def cases_for_contact(*, contact: Contact) -> QuerySet[Case]:
    """Every case where the contact is the beneficiary or the applicant, newest first.

    Not scoped to staff: channels use it to answer the citizen about their own requests.
    """
    return (
        Case.objects.filter(Q(beneficiary=contact) | Q(applicant=contact))
        .select_related("service", "facility")
        .order_by("-created_at", "-id")
    )


def case_by_number(*, number: str) -> Case | None:
    """The case with this number ("2026-000123"), or None. Not scoped (citizen channels)."""
    return (
        Case.objects.select_related("service", "beneficiary", "facility")
        .filter(number=(number or "").strip())
        .first()
    )


def actions_for(*, case: Case, user: User) -> list[str]:
    """Role and status match, for a case already known to be visible to the user."""
    if not _active(user):
        return []
    workflow = workflow_for(case.service.workflow)
    actions: list[str] = []
    for t in workflow.transitions:
        if t.internal or t.action in actions or case.status not in t.sources:
            continue
        if t.on_route(case.route) and t.allows(user):
            actions.append(t.action)
    return actions


def available_actions(*, case: Case, user: User) -> list[str]:
    """What this user may do to this case now, from the same declaration that enforces it.

    Guards (documents, beds...) are not evaluated here: the action is offered and its error
    says what is missing.
    """
    if not cases_visible_to(user=user).filter(pk=case.pk).exists():
        return []
    return actions_for(case=case, user=user)


def placement_queue(*, district_id: int | None) -> QuerySet[Case]:
    """Submitted placement cases of a district waiting for a place, first served first."""
    return Case.objects.filter(
        district_id=district_id,
        status=Status.SUBMITTED,
        service__workflow=Workflow.PLACEMENT,
    ).order_by("-priority_score", "submitted_at", "id")


def queue_positions(*, cases: list[Case]) -> dict[int, int]:
    """Queue places of many cases in one query (a worklist page), by case id.

    Cases not waiting in a placement queue are absent from the answer. Same order as
    ``queue_position``: priority score, then submission time, then id. Only the rows up to
    the page's last case of each district are numbered: a place counts the cases ahead, so
    nothing behind the page matters (page 1 of a national list reads the top of each queue,
    not every waiting case of the country).
    """
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    last: dict[int, Case] = {}
    for case in cases:
        if not (case.district_id and case.submitted_at and case.status == Status.SUBMITTED):
            continue
        held = last.get(case.district_id)
        if held is None or _queue_key(case) > _queue_key(held):
            last[case.district_id] = case
    if not last:
        return {}
    up_to_page = Q(pk__in=[])
    for district_id, case in last.items():
        score, at = case.priority_score, case.submitted_at
        up_to_page |= Q(district_id=district_id) & (
            Q(priority_score__gt=score)
            | Q(priority_score=score, submitted_at__lt=at)
            | Q(priority_score=score, submitted_at=at, pk__lte=case.pk)
        )
    ranked = (
        Case.objects.filter(
            up_to_page,
            status=Status.SUBMITTED,
            service__workflow=Workflow.PLACEMENT,
            submitted_at__isnull=False,
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("district_id")],
                order_by=[F("priority_score").desc(), F("submitted_at").asc(), F("id").asc()],
            )
        )
        .values_list("pk", "place")
    )
    wanted = {c.pk for c in cases}
    return {pk: place for pk, place in ranked if pk in wanted}


def _queue_key(case: Case) -> tuple:
    """Later in the queue sorts greater."""
    return (-case.priority_score, case.submitted_at, case.pk)


def queue_position(*, case: Case) -> int | None:
    """1-based place in the district's waiting queue (see cases.priority); None if not queued.

    Reads the case afresh: callers (channels answering "where am I?") may hold an old copy.
    """
    row = (
        Case.objects.filter(pk=case.pk)
        .values("status", "district_id", "submitted_at", "priority_score", "service__workflow")
        .first()
    )
    if (
        row is None
        or row["status"] != Status.SUBMITTED
        or row["district_id"] is None
        or row["submitted_at"] is None
        or row["service__workflow"] != Workflow.PLACEMENT
    ):
        return None
    score, at = row["priority_score"], row["submitted_at"]
    ahead = (
        placement_queue(district_id=row["district_id"])
        .filter(
            Q(priority_score__gt=score)
            | Q(priority_score=score, submitted_at__lt=at)
            | Q(priority_score=score, submitted_at=at, pk__lt=case.pk)
        )
        .count()
    )
    return ahead + 1


@dataclass(frozen=True)
class WorklistFilters:
    """What a worker narrows a list by: free text, the service, the unit, only late cases."""

    query: str = ""
    service_id: int | None = None
    unit_id: int | None = None
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.query or self.service_id or self.unit_id or self.overdue)


_CASE_NUMBER = re.compile(r"^(\d{4})-(\d{1,6})$")


def _case_text_q(text: str) -> Q:
    """A case number ("2026-000042", "2026-42" or just "42"), a national ID or a name.

    National ID and name match the person the case is for or the one who asked for them.
    """
    from crm.identities import IdentityError, normalize_identity
    from crm.models import Identity
    from crm.national_ids import looks_like_national_id

    text = text.strip()
    numbered = _CASE_NUMBER.match(text)
    if numbered:
        return Q(number=f"{numbered[1]}-{int(numbered[2]):06d}")
    if text.isdigit() and len(text) <= 6:
        return Q(number__endswith=f"-{int(text):06d}")
    if looks_like_national_id(text):
        try:
            value = normalize_identity(Identity.Scheme.NATIONAL_ID, text)
        except IdentityError:
            value = text
        owners = Identity.objects.filter(scheme=Identity.Scheme.NATIONAL_ID, value=value).values(
            "contact_id"
        )
        return Q(beneficiary_id__in=owners) | Q(applicant_id__in=owners)
    words = Contact.fold_name(text).split()
    if not words:
        return Q()
    beneficiary, applicant = Q(), Q()
    for word in words:
        # A word matches the start of any name part (as the contact search does).
        beneficiary &= Q(beneficiary__search_name__startswith=word) | Q(
            beneficiary__search_name__contains=f" {word}"
        )
        applicant &= Q(applicant__search_name__startswith=word) | Q(
            applicant__search_name__contains=f" {word}"
        )
    return beneficiary | applicant


def worklist_filtered(qs: QuerySet[Case], filters: WorklistFilters | None) -> QuerySet[Case]:
    """``qs`` narrowed by ``filters``; the caller's jurisdiction is already in ``qs``."""
    from django.utils import timezone

    if filters is None or not filters.active:
        return qs
    if filters.query:
        qs = qs.filter(_case_text_q(filters.query))
    if filters.service_id:
        qs = qs.filter(service_id=filters.service_id)
    if filters.unit_id:
        unit = AdminUnit.objects.filter(pk=filters.unit_id).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if filters.overdue:
        qs = qs.filter(due_at__lt=timezone.now())
    return qs


def worklist_units(*, user: User) -> QuerySet[AdminUnit]:
    """The units a worker may narrow their lists to: their own and the ones below it."""
    units = AdminUnit.objects.all()
    if user.sees_everything:
        return units.filter(level__lte=AdminUnit.Level.DISTRICT).order_by("path")
    if user.unit_id is None:
        return units.none()
    return units.filter(path__startswith=user.unit.path).order_by("path")


def worklist(*, user: User, status: str, filters: WorklistFilters | None = None) -> QuerySet[Case]:
    """One of the user's lists: the district's incoming list is in queue order."""
    visible = worklist_filtered(cases_visible_to(user=user).filter(status=status), filters)
    qs = for_list(visible).select_related("applicant")
    if status == Status.SUBMITTED:
        return qs.order_by("-priority_score", "submitted_at", "id")
    return qs.order_by("due_date", "-status_changed_at", "-id")


def cases_overdue(*, user: User) -> QuerySet[Case]:
    """Open cases whose current step is past its deadline (office time, see cases.sla)."""
    from django.utils import timezone

    return (
        cases_visible_to(user=user)
        .filter(due_at__lt=timezone.now())
        .exclude(status__in=[Status.CANCELLED, Status.DISCHARGED, Status.IN_SERVICE])
        .order_by("due_date", "id")
    )


def worklists_for(*, user: User) -> dict[str, int]:
    """The user's lists with how many cases each holds (for the console's tabs)."""
    visible = cases_visible_to(user=user)
    return {
        status: visible.filter(status=status).count() for status in worklist_statuses(user=user)
    }


def facilities_list(*, user: User | None = None) -> QuerySet[Facility]:
    """Care homes; with ``user``, those of the user's country (allocation may pick any of
    them, never another country's)."""
    facilities = Facility.objects.all()
    if user is not None:
        facilities = facilities.filter(facilities_scope(user))
    return (
        facilities.select_related("unit").prefetch_related("wards").order_by("unit__path", "name")
    )


def document_checklist(*, case: Case, today: dt.date | None = None) -> list[dict]:
    """The service's document list against what the case holds (API checklist, channels)."""
    return [
        {
            "required_document": row.required,
            "applies": row.applies,
            "present": bool(row.files),
            "latest_issue_date": row.newest_issue_date,
            "valid": row.valid,
            "valid_until": row.valid_until,
        }
        for row in case_document_rows(case=case, today=today)
    ]


# --- documents: one answer for the console, the API and the submit guard ---------------------


@dataclass
class DocumentFile:
    """One uploaded file, with whether it is still valid and whether the reader may open it."""

    document: CaseDocument
    health: bool
    valid: bool | None  # None: a paper without a validity period
    valid_until: dt.date | None
    may_open: bool


@dataclass
class DocumentRow:
    """One paper of the service's list and the files uploaded for it."""

    required: RequiredDocument
    applies: bool
    files: list[DocumentFile] = field(default_factory=list)
    newest_issue_date: dt.date | None = None
    # As the submit guard decides: the newest dated file counts; None when the paper has no
    # validity or nothing was uploaded yet.
    valid: bool | None = None
    valid_until: dt.date | None = None

    @property
    def mandatory(self) -> bool:
        return self.required.requirement == RequiredDocument.Requirement.MANDATORY

    @property
    def health(self) -> bool:
        return self.required.is_health_document

    @property
    def state(self) -> str:
        """missing, not_needed, attached or expired (the console's badge)."""
        if not self.files:
            return "missing" if self.applies else "not_needed"
        return "expired" if self.valid is False else "attached"


def document_file(
    document: CaseDocument, *, user: User | None = None, today: dt.date | None = None
) -> DocumentFile:
    today = today or timezone.localdate()
    required = document.required_document if document.required_document_id else None
    months = required.valid_months if required else None
    return DocumentFile(
        document=document,
        health=bool(required and required.is_health_document),
        valid=issue_date_valid(document.issue_date, months, today),
        valid_until=valid_until(document.issue_date, months),
        may_open=user is None or may_open_document(user, document),
    )


def case_document_rows(
    *, case: Case, user: User | None = None, today: dt.date | None = None
) -> list[DocumentRow]:
    """The service's papers with the case's files for each, valid or expired on ``today``.

    ``user`` decides ``may_open`` per file (health papers are closed to the call centre).
    """
    today = today or timezone.localdate()
    uploaded: dict[int, list[CaseDocument]] = {}
    for doc in case.documents.filter(kind=CaseDocument.Kind.REQUIRED).select_related(
        "required_document", "uploaded_by"
    ):
        uploaded.setdefault(doc.required_document_id, []).append(doc)
    rows = []
    for required in case.service.documents.all():
        docs = uploaded.get(required.pk, [])
        newest = max((d.issue_date for d in docs if d.issue_date), default=None)
        row = DocumentRow(
            required=required,
            applies=required.applies_to(case),
            files=[document_file(d, user=user, today=today) for d in docs],
            newest_issue_date=newest,
        )
        if docs and required.valid_months:
            row.valid = issue_date_valid(newest, required.valid_months, today)
            row.valid_until = valid_until(newest, required.valid_months)
        rows.append(row)
    return rows


def case_office_documents(*, case: Case, user: User | None = None) -> list[DocumentFile]:
    """The offices' papers of the case (decree, letter, contract), oldest first."""
    docs = case.documents.exclude(kind=CaseDocument.Kind.REQUIRED).select_related("uploaded_by")
    return [document_file(d, user=user) for d in docs]


# --- care homes a case may be allocated to ---------------------------------------------------


def ward_for_person(wards: Iterable[Ward], sex: str) -> Ward | None:
    """The ward a person would sleep in: their sex's ward, else a mixed one (the allocate
    step reserves the bed in exactly this ward)."""
    by_sex = {w.sex: w for w in wards}
    return by_sex.get(sex) if sex and sex in by_sex else by_sex.get("")


@dataclass(frozen=True)
class FacilityChoice:
    """A care home as a choice for one case: the ward the person would go to and, when it
    cannot be chosen, why (the allocate guard's problem code)."""

    facility: Facility
    ward: Ward | None
    accredited: bool
    nearby: bool
    problem: str = ""

    @property
    def selectable(self) -> bool:
        return not self.problem

    @property
    def free(self) -> int:
        return self.ward.free if self.ward is not None else 0

    @property
    def capacity(self) -> int:
        return self.ward.capacity if self.ward is not None else 0


def case_facility_choices(*, case: Case, today: dt.date | None = None) -> list[FacilityChoice]:
    """Every active care home of the case's country, each selectable or with the reason why
    not, by the allocate guards' rules: accredited on ``today``, and a free bed in the ward
    for the person's sex (a mixed ward where the home has no separate one).

    The district's own homes first, then the selectable ones, then by free beds.
    """
    today = today or timezone.localdate()
    sex = case.beneficiary.sex
    district_path = case.district.path if case.district_id else ""
    homes = facilities_list().filter(is_active=True)
    if case.unit_id:
        homes = homes.filter(unit__path__startswith=country_prefix(case.unit))
    choices = []
    for facility in homes:
        wards = list(facility.wards.all())
        ward = ward_for_person(wards, sex)
        accredited = facility.accredited_on(today)
        if not accredited:
            problem = "facility_not_accredited"
        elif ward is None and not sex:
            problem = "sex_unknown"
        elif ward is None or ward.free <= 0:
            problem = "no_free_bed"
        else:
            problem = ""
        choices.append(
            FacilityChoice(
                facility=facility,
                ward=ward,
                accredited=accredited,
                nearby=bool(district_path) and facility.unit.path.startswith(district_path),
                problem=problem,
            )
        )
    choices.sort(key=lambda c: (not c.nearby, not c.selectable, -c.free, c.facility.name))
    return choices


def case_selectable_facilities(*, case: Case, today: dt.date | None = None) -> list[Facility]:
    """The care homes the case may be allocated to now (see ``case_facility_choices``)."""
    return [c.facility for c in case_facility_choices(case=case, today=today) if c.selectable]


# --- notes and tasks -------------------------------------------------------------------------


def case_notes(*, case: Case) -> QuerySet:
    from .models import CaseNote

    return (
        CaseNote.objects.filter(case=case).select_related("author").order_by("-created_at", "-id")
    )


def case_tasks(*, case: Case) -> QuerySet:
    """Open tasks first, soonest due first; then the done ones."""
    from .models import CaseTask

    return (
        CaseTask.objects.filter(case=case)
        .select_related("assignee", "created_by", "done_by")
        .order_by(F("done_at").asc(nulls_first=True), "due_on", "id")
    )


def task_assignees(*, case: Case) -> QuerySet[User]:
    """Who may be given a task on the case: active staff of the offices over the case's unit
    (the khoroo, the district, ...) and the staff of the care home it is placed in."""
    who = Q(pk__in=[])
    if case.unit_id:
        unit = case.unit
        offices = [unit.path[: i + 1] for i, c in enumerate(unit.path) if c == "/"]
        who |= Q(unit__path__in=offices) & ~Q(role=Role.FACILITY_STAFF)
    if case.facility_id:
        who |= Q(facility_link__facility_id=case.facility_id)
    return (
        User.objects.filter(who, is_active=True)
        .exclude(role__in=[Role.AGENT, Role.SUPERVISOR])
        .order_by("last_name", "first_name", "username")
    )


def tasks_open_for(*, user: User, limit: int = 20) -> QuerySet:
    """The user's open tasks on cases they still see, soonest due first (the worklist's)."""
    from .models import CaseTask

    return (
        CaseTask.objects.filter(
            assignee_id=user.pk,
            done_at__isnull=True,
            case_id__in=cases_visible_to(user=user).values("pk"),
        )
        .select_related("case__beneficiary")
        .order_by("due_on", "id")[:limit]
    )


def case_owner(case: Case) -> User | None:
    """The worker who answers for the case: the responsible executor once one is appointed,
    else the worker assigned to it, else whoever opened it."""
    if case.executor_id:
        return case.executor
    assigned = case.assigned_workers.order_by("pk").first()
    return assigned or case.created_by
