from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission

from crm.api.pagination import CappedCountPagination

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
