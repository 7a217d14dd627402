from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm import selectors, services
from crm.errors import ValidationFailed
from crm.jurisdiction import contacts_visible_to

from .pagination import CappedCountPagination
from .serializers import (
    ContactMergeRequestSerializer,
    ContactSerializer,
    ErrorSerializer,
    InteractionSerializer,
    RegistryLookupSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Search citizens",
        description=(
            "Search by national ID (Mongolian registration number or Kazakh IIN), phone "
            "number (any usual spelling) or name. Only citizens in the caller's jurisdiction "
            "are returned."
        ),
        parameters=[OpenApiParameter("q", str, description="national ID, phone or name")],
    ),
    retrieve=extend_schema(
        summary="Read a citizen", responses={200: ContactSerializer, 404: ErrorSerializer}
    ),
)
class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ContactSerializer
    # A timeline runs to hundreds of entries: count them only as far as needed.
    pagination_class = CappedCountPagination

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            query = self.request.query_params.get("q", "")
            if "\x00" in query or len(query) > 200:
                raise ValidationFailed(
                    _(
                        "Search with a national ID, a phone number or a name (up to 200 "
                        "characters, no control characters)."
                    ),
                    details={"q": ["invalid"]},
                )
            qs = selectors.contact_search(user=user, query=query)
        elif self.action == "timeline":
            # Only the contact's id and visibility matter here: no identities to prefetch.
            return contacts_visible_to(user)
        else:
            qs = contacts_visible_to(user)
        return (
            selectors.contacts_with_identities(qs)
            .prefetch_related("target_groups")
            .order_by("last_name", "first_name", "id")
        )

    @extend_schema(
        summary="A citizen's timeline",
        description="Every message, call, kiosk visit, note and case event, newest first.",
        responses={200: InteractionSerializer(many=True), 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        contact = self.get_object()
        page = self.paginate_queryset(
            selectors.contact_timeline(contact=contact, user=request.user)
        )
        return self.get_paginated_response(InteractionSerializer(page, many=True).data)

    @extend_schema(
        summary="Merge a duplicate into this citizen",
        request=ContactMergeRequestSerializer,
        responses={
            200: ContactSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        survivor = self.get_object()
        body = ContactMergeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        duplicate = get_object_or_404(
            contacts_visible_to(request.user), pk=body.validated_data["duplicate"]
        )
        services.contact_merge(
            survivor=survivor,
            duplicate=duplicate,
            actor=request.user,
            reason=body.validated_data.get("reason", ""),
        )
        survivor.refresh_from_db()
        return Response(ContactSerializer(survivor).data)

    @extend_schema(
        summary="Find or register a citizen by national ID",
        description=(
            "Looks the national ID up among known citizens, then in the state registry "
            "(ХУР / GBD FL) and registers the citizen with the registry's name, birth date and "
            "address. 400 when the number is not a valid national ID; 404 when the citizen "
            "lives outside the caller's jurisdiction."
        ),
        request=RegistryLookupSerializer,
        responses={
            200: ContactSerializer,
            201: ContactSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    @action(detail=False, methods=["post"])
    def lookup(self, request):
        body = RegistryLookupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact, created = services.contact_from_registry(
            national_id=body.validated_data["national_id"]
        )
        visible = selectors.contacts_with_identities(contacts_visible_to(request.user))
        contact = get_object_or_404(visible, pk=contact.pk)
        return Response(ContactSerializer(contact).data, status=201 if created else 200)
