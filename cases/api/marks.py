"""Organisations, their mark applications, and allowance payments: thin views."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.errors import NotFound, ValidationFailed
from crm.jurisdiction import can_see_unit, unit_scope
from crm.models import AdminUnit

from .. import marks, payments, selectors
from ..models import Case, Workflow
from ..organisations import MarkApplication, MarkEmployee, Organisation
from ..workflows.mark_rules import compute_for, explain


class OrganisationSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    telegram = serializers.CharField(write_only=True, required=False, allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=AdminUnit.objects.all())
    contact = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "bin",
            "address",
            "unit",
            "contact_person",
            "contact",
            "phone",
            "telegram",
            "created_at",
        ]
        # The service checks the BIN (and its uniqueness) and says what to fix.
        extra_kwargs = {"bin": {"validators": []}}


class EmployeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarkEmployee
        fields = [
            "iin",
            "disability",
            "has_disability",
            "payroll",
            "lookup",
            "full_name",
            "lookup_error",
            "checked_at",
        ]


class EmployeeInputSerializer(serializers.Serializer):
    iin = serializers.CharField()
    disability = serializers.CharField(required=False, allow_blank=True, default="")
    has_disability = serializers.BooleanField(required=False, default=False)
    payroll = serializers.CharField(help_text="The employee's monthly pay.")


class MarkApplicationSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    number = serializers.CharField(source="case.number", read_only=True)
    status = serializers.CharField(source="case.status", read_only=True)
    organisation = OrganisationSerializer(read_only=True)
    employees = EmployeeSerializer(many=True, read_only=True)
    copied_from = serializers.PrimaryKeyRelatedField(read_only=True)
    computation = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = MarkApplication
        fields = [
            "case",
            "number",
            "status",
            "organisation",
            "specialised",
            "copied_from",
            "employees",
            "computation",
            "explanation",
            "approved_at",
            "expires_at",
        ]

    def get_computation(self, obj: MarkApplication) -> dict:
        """The stored decision's computation, or the current figures of an undecided one."""
        return obj.computation or compute_for(obj).as_dict()

    def get_explanation(self, obj: MarkApplication) -> str:
        return explain(compute_for(obj))


class MarkApplicationInputSerializer(serializers.Serializer):
    employees = EmployeeInputSerializer(many=True, required=False)
    specialised = serializers.BooleanField(required=False)


def _application_response(case: Case, code: int = status.HTTP_200_OK) -> Response:
    application = (
        MarkApplication.objects.select_related("case", "organisation")
        .prefetch_related("employees")
        .get(case=case)
    )
    return Response(MarkApplicationSerializer(application).data, code)


def _rows(data: dict) -> list[dict] | None:
    rows = data.get("employees")
    return None if rows is None else [dict(r) for r in rows]


class OrganisationViewSet(viewsets.ModelViewSet):
    """Organisations in the caller's jurisdiction (by the organisation's unit)."""

    serializer_class = OrganisationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Organisation.objects.filter(unit_scope(self.request.user, "unit")).order_by(
            "name", "id"
        )

    @extend_schema(
        summary="Register an organisation",
        description="BIN: 12 digits with its check digit. A phone or a Telegram id is needed to "
        "reach it; notifications of its applications go there.",
        responses={201: OrganisationSerializer},
    )
    def create(self, request):
        body = OrganisationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not can_see_unit(request.user, data["unit"]):
            raise NotFound(_("No such unit in your jurisdiction."))
        organisation = marks.organisation_create(
            actor=request.user,
            name=data["name"],
            bin=data["bin"],
            unit=data["unit"],
            contact_person=data["contact_person"],
            phone=data.get("phone", ""),
            telegram=data.get("telegram", ""),
            address=data.get("address", ""),
        )
        return Response(OrganisationSerializer(organisation).data, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start a mark application (draft)",
        description="At most 100 employees by IIN; each IIN's check digit is validated at "
        "once, the registry is asked when the application is sent.",
        request=MarkApplicationInputSerializer,
        responses={201: MarkApplicationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="applications")
    def applications(self, request, pk=None):
        organisation = self.get_object()
        body = MarkApplicationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = marks.mark_application_create(
            organisation=organisation,
            actor=request.user,
            employees=_rows(body.validated_data),
            specialised=body.validated_data.get("specialised", False),
        )
        return _application_response(case, status.HTTP_201_CREATED)


class MarkApplicationView(APIView):
    """``cases/{id}/mark/``: the application's employees, registry answers and computation."""

    def _case(self, request, pk: int) -> Case:
        case = (
            selectors.cases_visible_to(user=request.user)
            .filter(pk=pk, service__workflow=Workflow.ORGANISATION_MARK)
            .select_related("service")
            .first()
        )
        if case is None:
            raise NotFound(_("No such mark application in your jurisdiction."))
        return case

    @extend_schema(
        summary="A mark application: employees, registry answers and the 51% / 35% rule",
        responses={200: MarkApplicationSerializer},
    )
    def get(self, request, pk: int):
        return _application_response(self._case(request, pk))

    @extend_schema(
        summary="Edit a draft or rejected mark application",
        description="`employees` replaces the whole list (rows kept by IIN keep their "
        "registry answer); 409 once sent or approved.",
        request=MarkApplicationInputSerializer,
        responses={200: MarkApplicationSerializer},
    )
    def put(self, request, pk: int):
        case = self._case(request, pk)
        body = MarkApplicationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = marks.mark_application_update(
            case=case,
            actor=request.user,
            employees=_rows(body.validated_data),
            specialised=body.validated_data.get("specialised"),
        )
        return _application_response(case)


class EntitlementSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    monthly_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    first_month = serializers.DateField()
    last_month = serializers.DateField(allow_null=True)
    months = serializers.ListField(child=serializers.CharField())


class CasePaymentsView(APIView):
    @extend_schema(
        summary="An allowance's paid months",
        description="From the approval month to the stop (or this month); 404 before approval.",
        responses={200: EntitlementSerializer},
    )
    def get(self, request, pk: int):
        case = selectors.cases_visible_to(user=request.user).filter(pk=pk).first()
        entitlement = getattr(case, "entitlement", None) if case else None
        if entitlement is None:
            raise NotFound(_("No allowance being paid on this case in your jurisdiction."))
        months = [f"{m:%Y-%m}" for m in payments.entitlement_months(entitlement)]
        data = {
            "case_id": case.pk,
            "monthly_amount": entitlement.monthly_amount,
            "currency": entitlement.currency,
            "first_month": entitlement.first_month,
            "last_month": entitlement.last_month,
            "months": months,
        }
        return Response(EntitlementSerializer(data).data)


class PaymentRowSerializer(serializers.Serializer):
    case_number = serializers.CharField()
    name = serializers.CharField()
    national_id = serializers.CharField()
    unit = serializers.CharField()
    service = serializers.CharField()
    legal_basis = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class PaymentListSerializer(serializers.Serializer):
    district = serializers.IntegerField(source="district.pk")
    month = serializers.DateField()
    count = serializers.IntegerField()
    totals = serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2))
    rows = PaymentRowSerializer(many=True)


def payment_list_for(user, district_raw: str, month_raw: str) -> payments.PaymentList:
    """The list a user may read: their district, or a district below their unit."""
    try:
        month = payments.parse_month(month_raw or "")
    except ValueError as exc:
        raise ValidationFailed(str(exc), details={"month": [str(exc)]}) from exc
    district = None
    if district_raw:
        district = (
            AdminUnit.objects.filter(
                pk=int(district_raw) if district_raw.isdigit() else None
            ).first()
            or AdminUnit.objects.filter(path=district_raw).first()
        )
    elif user.unit_id and user.unit.level == AdminUnit.Level.DISTRICT:
        district = user.unit
    if district is None or district.level != AdminUnit.Level.DISTRICT:
        raise ValidationFailed(
            _("Name the district (soum/district id or path) the list is for."),
            details={"district": ["a unit of the district level"]},
        )
    if not can_see_unit(user, district):
        raise NotFound(_("No such district in your jurisdiction."))
    return payments.payment_list(
        district=district, month=month, cases=selectors.cases_visible_to(user=user)
    )


class PaymentListView(APIView):
    @extend_schema(
        summary="The monthly allowance payment list of a district",
        description="Everyone paid in the month, with the totals; `export=csv` or `export=xlsx` "
        "downloads it for the finance office.",
        parameters=[
            OpenApiParameter("month", str, required=True, description="YYYY-MM"),
            OpenApiParameter("district", str, description="district id or path"),
            OpenApiParameter("export", str, enum=["csv", "xlsx"], description="download as"),
        ],
        responses={
            200: PaymentListSerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
        },
    )
    def get(self, request):
        query = request.query_params
        listed = payment_list_for(request.user, query.get("district", ""), query.get("month", ""))
        kind = query.get("export", "json")
        name = f"payments-{listed.district.code or listed.district.pk}-{listed.month:%Y-%m}"
        if kind == "csv":
            response = HttpResponse(payments.payment_list_csv(listed), content_type="text/csv")
        elif kind == "xlsx":
            response = HttpResponse(
                payments.payment_list_xlsx(listed),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            return Response(PaymentListSerializer(listed).data)
        response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
        return response
