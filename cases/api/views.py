"""Thin views over cases.services, cases.transitions and cases.selectors."""

from __future__ import annotations

import io

from django.http import FileResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from crm.api.pagination import CappedCountPagination
from crm.api.serializers import ErrorSerializer
from crm.errors import NotAllowed, NotFound, ValidationFailed
from crm.ids import parse_id
from crm.models import AdminUnit

from .. import marks, notice, selectors, services
from ..documents import may_open_document
from ..labels import status_label
from ..models import Case, Country, RequiredDocument, Service
from ..transitions import case_apply_action
from ..workflows import ALL_ACTIONS
from .filters import CaseFilter, FacilityFilter, StableOrderingFilter
from .serializers import (
    CaseActionSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseDocumentSerializer,
    CaseDocumentUploadSerializer,
    CaseListSerializer,
    CaseNoteSerializer,
    CaseTaskCreateSerializer,
    CaseTaskSerializer,
    CaseUpdateSerializer,
    FacilityChoiceSerializer,
    FacilitySerializer,
    ServiceSerializer,
    WorklistSerializer,
)


def _pdf(data: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), content_type="application/pdf", as_attachment=False, filename=filename
    )


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="invalid input or a failed guard"),
    403: OpenApiResponse(ErrorSerializer, description="your role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="no such case in your jurisdiction"),
    409: OpenApiResponse(ErrorSerializer, description="not possible in the case's status"),
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


@extend_schema_view(
    list=extend_schema(
        summary="List cases",
        description="Only cases in the caller's jurisdiction: the unit and everything under "
        "it; care-home staff see cases placed in their home. Paged with ?page= and "
        "?page_size= (at most 100); count is exact up to 1000 (count_exact), a lower bound "
        "beyond.",
        responses={200: CaseListSerializer(many=True), 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="Read a case",
        description="With the actions the caller may take now, the documents, the document "
        "checklist, the queue position and the full history (events).",
        responses={200: CaseDetailSerializer, **errors(403, 404)},
    ),
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseDetailSerializer
    pagination_class = CappedCountPagination
    filterset_class = CaseFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    ordering_fields = ["created_at", "submitted_at", "due_date", "priority_score", "number"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        visible = selectors.cases_visible_to(user=self.request.user)
        if self.action == "list":
            # Only what a list row shows: fewer joins to plan and run, no prefetch per page.
            return selectors.for_list(visible).order_by("-created_at", "-id")
        qs = selectors.with_details(visible)
        if self.action == "retrieve":
            qs = qs.prefetch_related("documents__required_document", "events__actor")
        return qs.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseDetailSerializer

    def get_object(self) -> Case:
        # A case outside the jurisdiction is reported exactly like one that does not exist.
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Case.DoesNotExist, ValueError):
            raise NotFound(_("No such case in your jurisdiction.")) from None

    def _detail(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        # Not through get_queryset: a care home that just declined no longer sees the case,
        # but is still owed the result of what it did.
        case = (
            selectors.with_details(Case.objects)
            .prefetch_related("documents__required_document", "events__actor")
            .get(pk=case.pk)
        )
        return Response(CaseDetailSerializer(case, context={"request": self.request}).data, code)

    @extend_schema(
        summary="Open a case",
        description="A new case in status draft, on the citizen's unit. Agents open cases for "
        "any citizen; local and district workers for citizens of their jurisdiction.",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(400, 403, 404)},
    )
    def create(self, request):
        body = CaseCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = services.case_create(
            beneficiary=data["contact"],
            service=data["service"],
            actor=request.user,
            origin_channel=data["origin_channel"],
            applicant=data.get("applicant"),
            applicant_relationship=data.get("applicant_relationship", ""),
            reason_for_care=data.get("reason_for_care", ""),
        )
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Fill in a request",
        description="Personal information, applicant and health status, while the case is a "
        "draft or returned; the district worker sets the urgency (0-3) of a waiting case.",
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    def partial_update(self, request, pk=None):
        case = self.get_object()
        body = CaseUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        case = services.case_update(case=case, actor=request.user, data=body.validated_data)
        return self._detail(case)

    @extend_schema(
        summary="Apply an action",
        description=(
            "Move the case along its workflow. Actions: submit (local worker), return "
            "(district worker, body reason_code + reason), allocate (district worker, body "
            "facility), accept, decline, admit (admitted_on, room, bed), discharge (care-home "
            "staff), cancel (district "
            "worker, body reason); allowances also approve. Social assistance: register, "
            "assign (executor), send_to_survey, record_survey (need, act_number), forward, "
            "send_to_review, decide (need, amount), prepare, sign, send_to_akim, issue, "
            "request_documents (reason_code missing/damaged/lost + reason), resume, cancel. "
            "Organisation mark: send, resend (from error), copy (201: a new draft copying the "
            "organisation's last approved application); approve and reject are the registry "
            "processing's (the system account, refused whenever the 51% / 35% rule says "
            "otherwise). Its internal steps (a registry failure, the 180-day expiry) are not "
            "actions: asking for them answers 404. "
            "400 lists exactly what is missing "
            "(in `errors`, each with a code such as missing_document, "
            "expired_health_certificate, health_status_incomplete, no_free_bed, "
            "facility_not_accredited, missing_decree, missing_letter)."
        ),
        parameters=[
            OpenApiParameter(
                "action_name",
                str,
                OpenApiParameter.PATH,
                enum=sorted({*ALL_ACTIONS, "copy"}),
                description="action",
            )
        ],
        request=CaseActionSerializer,
        responses={
            200: CaseDetailSerializer,
            201: CaseDetailSerializer,
            **errors(400, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def apply_action(self, request, pk=None, action_name=None):
        case = self.get_object()
        if action_name == "copy":  # makes a new case rather than moving this one
            return self._detail(marks.mark_copy(case=case, actor=request.user), 201)
        body = CaseActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = case_apply_action(
            case=case, action=action_name, actor=request.user, payload=body.validated_data
        )
        return self._detail(case)

    @extend_schema(
        summary="The decision notice (social assistance), as a PDF",
        description="In the citizen's language; exists once the head has signed (409 before).",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(404, 409)},
    )
    @action(detail=True, methods=["get"], url_path="notice")
    def notice(self, request, pk=None):
        case = self.get_object()
        return _pdf(notice.decision_notice_pdf(case), f"notice-{case.number}.pdf")

    @extend_schema(
        summary="The rural akim's tear-off receipt (social assistance), as a PDF",
        description="Counterfoil and citizen's slip, in the citizen's language; only for an "
        "application registered by a rural akim (409 otherwise).",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(404, 409)},
    )
    @action(detail=True, methods=["get"], url_path="receipt")
    def receipt(self, request, pk=None):
        case = self.get_object()
        return _pdf(notice.receipt_pdf(case), f"receipt-{case.number}.pdf")

    @extend_schema(
        summary="Upload a document",
        description="multipart/form-data: a PDF, JPEG or PNG (checked by its content) of at "
        "most 10 MB, either one of the service's documents (kind=required with "
        "required_document) or a workflow paper (governor_decree, welfare_letter, ...).",
        request={"multipart/form-data": CaseDocumentUploadSerializer},
        responses={201: CaseDocumentSerializer, **errors(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="documents",
        parser_classes=[MultiPartParser, FormParser],
    )
    def documents(self, request, pk=None):
        case = self.get_object()
        body = CaseDocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        required = None
        if data.get("required_document"):
            ref = data["required_document"].strip()
            lookup = (
                {"pk": int(ref)}
                if ref.isascii() and ref.isdigit() and len(ref) < 19
                else {"code": ref}
            )
            required = RequiredDocument.objects.filter(service=case.service, **lookup).first()
            if required is None:
                raise ValidationFailed(
                    _("'%(name)s' is not a document of this case's service.") % {"name": ref},
                    details={"required_document": [ref]},
                )
        document = services.case_document_add(
            case=case,
            actor=request.user,
            file=data["file"],
            kind=data["kind"],
            required_document=required,
            issue_date=data.get("issue_date"),
        )
        return Response(
            CaseDocumentSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Download a document",
        description="403 for a health document when the caller is call-centre staff (agents, "
        "supervisors): they see that it exists in the case's documents, not its content.",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            **errors(403, 404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)",
        url_name="document-file",
    )
    def document_file(self, request, pk=None, document_id=None):
        case = self.get_object()
        documents = case.documents.select_related("required_document")
        document = documents.filter(pk=document_id).first()
        if document is None:
            raise NotFound(_("No such document on this case."))
        if not may_open_document(request.user, document):
            raise NotAllowed(
                _(
                    "Health documents are open to the case's social workers and the care home "
                    "only; the call centre sees that they exist (is_health_document, valid)."
                )
            )
        return FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            as_attachment=True,
            filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        )

    @extend_schema(
        summary="Care homes for this case",
        description="Every active care home of the case's country as a choice for this case: "
        "the ward the person would go to (their sex's, else the mixed one), its free beds, "
        "and whether the allocate step would take it (selectable) or why not (problem). "
        "?selectable=true keeps only those that may be chosen. The same answer as the "
        "console's allocate form.",
        parameters=[OpenApiParameter("selectable", bool, OpenApiParameter.QUERY)],
        responses={200: FacilityChoiceSerializer(many=True), **errors(403, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="facilities",
        url_name="facilities",
        pagination_class=None,
        filter_backends=[],
    )
    def facilities(self, request, pk=None):
        case = self.get_object()
        choices = selectors.case_facility_choices(case=case)
        if request.query_params.get("selectable", "").lower() in ("1", "true", "yes"):
            choices = [c for c in choices if c.selectable]
        return Response(FacilityChoiceSerializer(choices, many=True).data)

    @extend_schema(
        summary="My worklists",
        description="The caller's lists (seed 000: the local worker's saved, waitlisted, "
        "returned, submitted, in service; the district's incoming, allocated, in service, "
        "waitlisted, cancelled) with how many cases each holds. Read a list with "
        "GET /api/v1/cases/?status=...",
        responses={200: WorklistSerializer(many=True), 403: ERRORS[403]},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def worklists(self, request):
        language = getattr(request, "LANGUAGE_CODE", "en")
        counts = selectors.worklists_for(user=request.user)
        rows = [
            {"status": s, "label": status_label(s, language), "count": n} for s, n in counts.items()
        ]
        return Response(WorklistSerializer(rows, many=True).data)

    # --- notes and tasks ---------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The case's notes",
        description="Workers' notes on the case, newest first.",
        responses={200: CaseNoteSerializer(many=True), **errors(403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Write a note on the case",
        request=CaseNoteSerializer,
        responses={201: CaseNoteSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def notes(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            notes = selectors.case_notes(case=case)[:200]
            return Response(CaseNoteSerializer(notes, many=True).data)
        body = CaseNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.case_note_add(
            case=case, actor=request.user, text=body.validated_data["text"]
        )
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The case's tasks",
        description="Open tasks first, soonest due first; then the done ones.",
        responses={200: CaseTaskSerializer(many=True), **errors(403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Set a task on the case",
        description="For a worker of the offices over the case's unit or of its care home, "
        "due today or later; 400 says what is wrong.",
        request=CaseTaskCreateSerializer,
        responses={201: CaseTaskSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def tasks(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            return Response(CaseTaskSerializer(selectors.case_tasks(case=case), many=True).data)
        body = CaseTaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assignee = selectors.task_assignees(case=case).filter(pk=data["assignee"]).first()
        if assignee is None:
            raise ValidationFailed(
                _("The assignee does not work on this case."), details={"assignee": ["unknown"]}
            )
        task = services.case_task_add(
            case=case,
            actor=request.user,
            title=data["title"],
            assignee=assignee,
            due_on=data["due_on"],
        )
        return Response(CaseTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Tick a task off",
        description="By the person it is assigned to or who set it (403 otherwise); 409 if "
        "it is done already.",
        request=None,
        responses={200: CaseTaskSerializer, **errors(403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tasks/(?P<task_id>[0-9]+)/done",
        url_name="task-done",
    )
    def task_done(self, request, pk=None, task_id=None):
        case = self.get_object()
        task = case.tasks.filter(pk=task_id).first()
        if task is None:
            raise NotFound(_("No such task on this case."))
        task = services.case_task_done(task=task, actor=request.user)
        return Response(CaseTaskSerializer(task).data)


@extend_schema_view(
    list=extend_schema(
        summary="List care homes",
        description="Accreditation, capacity, occupied, reserved and free beds (per ward).",
        responses={200: FacilitySerializer(many=True), 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="Read a care home", responses={200: FacilitySerializer, **errors(403, 404)}
    ),
)
class FacilityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter

    def get_queryset(self):
        return selectors.facilities_list(user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="The service catalogue",
        description="Services with legal basis, eligibility, payment and required documents, "
        "of one country: ?country= (MN or KZ), else the country of ?unit= (a unit id), else "
        "the caller's unit's country (CRM_COUNTRY for an account without a unit).",
        parameters=[
            OpenApiParameter("country", str, enum=list(Country.values), required=False),
            OpenApiParameter("unit", int, required=False, description="an admin unit id"),
        ],
        responses={200: ServiceSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="Read a service", responses={200: ServiceSerializer, **errors(403, 404)}
    ),
)
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceSerializer
    lookup_field = "code"

    def get_queryset(self):
        if self.action != "list" or getattr(self, "swagger_fake_view", False):
            # (the schema generator asks with no signed-in user: any active service will do)
            return Service.objects.filter(is_active=True).prefetch_related("documents")
        return selectors.services_offered(**self._catalogue_of()).prefetch_related("documents")

    def _catalogue_of(self) -> dict:
        params = self.request.query_params
        country = params.get("country", "").strip().upper()
        if country:
            if country not in Country.values:
                raise ValidationFailed(
                    _("Unknown country '%(country)s'; use one of: %(countries)s.")
                    % {"country": country, "countries": ", ".join(Country.values)},
                    details={"country": list(Country.values)},
                )
            return {"country": country}
        unit_id = params.get("unit", "").strip()
        if unit_id:
            number = parse_id(unit_id)
            unit = AdminUnit.objects.filter(pk=number).first() if number else None
            if unit is None:
                raise ValidationFailed(
                    _("No administrative unit '%(unit)s'.") % {"unit": unit_id},
                    details={"unit": "unknown"},
                )
            return {"unit": unit}
        return {"unit": getattr(self.request.user, "unit", None)}
