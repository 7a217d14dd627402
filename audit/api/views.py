from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.pagination import CappedCountPagination
from crm.api.serializers import ContactSerializer, ErrorSerializer
from crm.errors import NotFound
from crm.jurisdiction import contacts_visible_to
from crm.models import Contact

from .. import rights
from ..selectors import audit_entries_visible_to, audit_filter, may_read_audit
from .serializers import AuditEntrySerializer


class IsAuditReader(BasePermission):
    message = "Only supervisors and administrators read the audit trail."

    def has_permission(self, request, view) -> bool:
        return may_read_audit(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="The audit trail",
        description=(
            "Who read or changed which record, newest first: `at`, `actor` (username), "
            "`action` (read, list, create, update, export, erase, ...), `object_type`, "
            "`object_id`; a list read names the ids it showed in `object_ids`. Supervisors "
            "and administrators only, within their jurisdiction. Read-only: rows cannot be "
            "changed or deleted."
        ),
        parameters=[
            OpenApiParameter("contact", int, description="the citizen's id"),
            OpenApiParameter("actor", str, description="the staff account's username or id"),
            OpenApiParameter("since", str, description="ISO date or date-time"),
            OpenApiParameter("action", str),
            OpenApiParameter("object_type", str),
        ],
    )
)
class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    pagination_class = CappedCountPagination
    permission_classes = [IsAuditReader]
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        return audit_filter(
            audit_entries_visible_to(user=self.request.user),
            contact=params.get("contact", ""),
            actor=params.get("actor", ""),
            since=params.get("since", ""),
            action=params.get("action", ""),
            object_type=params.get("object_type", ""),
        )


class ContactDataView(APIView):
    """A citizen's data rights over the API; each call is audited by the service it runs."""

    def _contact(self, request, pk: int) -> Contact:
        contact = contacts_visible_to(request.user).filter(pk=pk).first()
        if contact is None:
            raise NotFound("No such citizen in your jurisdiction.")
        return contact


class ContactExportView(ContactDataView):
    @extend_schema(
        summary="Export everything held about a citizen",
        description="Every store's records of the citizen and of duplicates merged into them. "
        "Agents, local and district workers, administrators; the export is audited.",
        responses={200: OpenApiTypes.OBJECT, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request, pk: int):
        contact = self._contact(request, pk)
        return Response(rights.contact_data_export(contact=contact, actor=request.user))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)
    changes = serializers.DictField(
        help_text="field -> new value; fields: " + ", ".join(rights.CORRECTABLE_FIELDS)
    )


class ContactCorrectView(ContactDataView):
    @extend_schema(
        summary="Correct a citizen's record",
        request=CorrectionSerializer,
        responses={200: ContactSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request, pk: int):
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact = rights.contact_correct(
            contact=self._contact(request, pk),
            actor=request.user,
            changes=body.validated_data["changes"],
            reason=body.validated_data["reason"],
        )
        return Response(ContactSerializer(contact).data)


class ContactConsentWithdrawView(ContactDataView):
    @extend_schema(
        summary="Withdraw a citizen's consent",
        description="Every consent of the citizen is withdrawn: no more notifications, and a "
        "new request from any channel needs a new consent.",
        request=ReasonSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request, pk: int):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        withdrawn = rights.contact_consent_withdraw(
            contact=self._contact(request, pk),
            actor=request.user,
            reason=body.validated_data["reason"],
        )
        return Response({"withdrawn": withdrawn})


class ContactEraseView(ContactDataView):
    @extend_schema(
        summary="Erase a citizen's personal data",
        description="Administrators. 409 while anything must wait (a case in progress), with "
        "every reason in `errors.blockers`; otherwise the rows touched per store.",
        request=ReasonSerializer,
        responses={200: OpenApiTypes.OBJECT, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        counts = rights.contact_erase(
            contact=self._contact(request, pk),
            actor=request.user,
            reason=body.validated_data["reason"],
        )
        return Response({"erased": counts})
