"""The case API's shapes. Field names in the contract (id, number, status, service, contact,
facility, available_actions, events) are kept exactly; the rest is ours."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.jurisdiction import contacts_visible_to
from crm.models import AdminUnit, Channel, Contact

from .. import selectors
from ..labels import status_label
from ..models import (
    Case,
    CaseDocument,
    CaseEvent,
    Facility,
    RequiredDocument,
    ReturnReason,
    Service,
    Ward,
)
from ..workflows import ALL_ACTIONS


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "code", "name", "name_en", "level", "path"]


class ContactBriefSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "display_name", "birth_date", "sex", "preferred_language"]


# --- catalogue ---------------------------------------------------------------------------


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = [
            "id",
            "code",
            "name_mn",
            "name_kk",
            "name_ru",
            "name_en",
            "requirement",
            "condition",
            "is_health_document",
            "valid_months",
        ]


class ServiceSerializer(serializers.ModelSerializer):
    documents = RequiredDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "name_mn",
            "name_kk",
            "name_ru",
            "name_en",
            "legal_basis",
            "eligibility_mn",
            "eligibility_en",
            "payment_frequency",
            "amount",
            "currency",
            "country",
            "workflow",
            "is_active",
            "documents",
        ]


class ServiceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "code", "name_mn", "name_en", "country", "workflow"]


# --- facilities --------------------------------------------------------------------------


class WardSerializer(serializers.ModelSerializer):
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = Ward
        fields = ["id", "sex", "capacity", "occupied", "reserved", "free"]


class FacilitySerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    accredited = serializers.SerializerMethodField()
    capacity = serializers.SerializerMethodField()
    occupied = serializers.SerializerMethodField()
    reserved = serializers.SerializerMethodField()
    free_beds = serializers.SerializerMethodField()
    wards = WardSerializer(many=True, read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "name_en",
            "unit",
            "address",
            "phone",
            "accreditation",
            "accreditation_valid_until",
            "accredited",
            "is_active",
            "capacity",
            "occupied",
            "reserved",
            "free_beds",
            "wards",
        ]

    def _sum(self, obj: Facility, name: str) -> int:
        # wards are prefetched: summing in Python avoids a query per facility and field
        return sum(getattr(w, name) for w in obj.wards.all())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_accredited(self, obj: Facility) -> bool:
        return obj.accredited_on(timezone.localdate())

    @extend_schema_field(OpenApiTypes.INT)
    def get_capacity(self, obj: Facility) -> int:
        return self._sum(obj, "capacity")

    @extend_schema_field(OpenApiTypes.INT)
    def get_occupied(self, obj: Facility) -> int:
        return self._sum(obj, "occupied")

    @extend_schema_field(OpenApiTypes.INT)
    def get_reserved(self, obj: Facility) -> int:
        return self._sum(obj, "reserved")

    @extend_schema_field(OpenApiTypes.INT)
    def get_free_beds(self, obj: Facility) -> int:
        return self._sum(obj, "free")


class FacilityBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "name_en"]


class FacilityChoiceSerializer(serializers.Serializer):
    """A care home as a choice for one case (the console's allocate form shows the same)."""

    facility = FacilitySerializer()
    ward = WardSerializer(allow_null=True, help_text="the ward the person would go to")
    free_beds = serializers.IntegerField(source="free", help_text="free beds in that ward")
    accredited = serializers.BooleanField()
    nearby = serializers.BooleanField(help_text="in the case's own district")
    selectable = serializers.BooleanField()
    problem = serializers.CharField(
        help_text="why it cannot be chosen (facility_not_accredited, no_free_bed, "
        "sex_unknown); empty when selectable"
    )


# --- cases -------------------------------------------------------------------------------


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "actor",
            "reason_code",
            "reason",
            "payload",
            "occurred_at",
        ]


class CaseDocumentSerializer(serializers.ModelSerializer):
    required_document_code = serializers.SlugRelatedField(
        source="required_document", slug_field="code", read_only=True, allow_null=True
    )
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    is_health_document = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()
    valid_until = serializers.SerializerMethodField()
    may_open = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "kind",
            "required_document",
            "required_document_code",
            "issue_date",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "is_health_document",
            "valid",
            "valid_until",
            "may_open",
            "url",
        ]

    def _file(self, obj: CaseDocument) -> selectors.DocumentFile:
        # One answer per document and request: the console shows the same (cases.selectors).
        cache = self.context.setdefault("_document_files", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            cache[obj.pk] = selectors.document_file(
                obj, user=getattr(request, "user", None) if request else None
            )
        return cache[obj.pk]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_health_document(self, obj: CaseDocument) -> bool:
        return self._file(obj).health

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_valid(self, obj: CaseDocument) -> bool | None:
        """Valid today (issued within the paper's validity in calendar months); null for a
        paper without a validity period."""
        return self._file(obj).valid

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_valid_until(self, obj: CaseDocument):
        """The last day the paper is valid (null: no validity period or no issue date)."""
        return self._file(obj).valid_until

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_may_open(self, obj: CaseDocument) -> bool:
        """Whether the caller may download it (health papers: not the call centre)."""
        return self._file(obj).may_open

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj: CaseDocument) -> str | None:
        """Where to download it (through the API, so jurisdiction is checked); null when the
        caller may not open it."""
        if not self._file(obj).may_open:
            return None
        path = reverse("case-document-file", kwargs={"pk": obj.case_id, "document_id": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CaseListSerializer(serializers.ModelSerializer):
    service = ServiceBriefSerializer(read_only=True)
    contact = ContactBriefSerializer(source="beneficiary", read_only=True)
    unit = UnitBriefSerializer(read_only=True, allow_null=True)
    facility = FacilityBriefSerializer(read_only=True, allow_null=True)
    status_label = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "service",
            "contact",
            "unit",
            "facility",
            "origin_channel",
            "priority_score",
            "urgency",
            "due_date",
            "is_overdue",
            "submitted_at",
            "status_changed_at",
            "created_at",
            "available_actions",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_label(self, obj: Case) -> str:
        request = self.context.get("request")
        language = getattr(request, "LANGUAGE_CODE", "en") if request else "en"
        return status_label(obj.status, language, obj.service.workflow)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ALL_ACTIONS)))
    def get_available_actions(self, obj: Case) -> list[str]:
        """What the caller may do now (the case was read through their jurisdiction)."""
        request = self.context.get("request")
        return selectors.actions_for(case=obj, user=request.user) if request else []


class RequiredDocumentStatusSerializer(serializers.Serializer):
    """One line of the case's checklist: is this paper there, and is it recent enough."""

    required_document = RequiredDocumentSerializer()
    applies = serializers.BooleanField()
    present = serializers.BooleanField()
    latest_issue_date = serializers.DateField(allow_null=True)
    valid = serializers.BooleanField(
        allow_null=True,
        help_text="the newest dated file is within the paper's validity today (calendar "
        "months, as the submit step checks); null without a validity period or a file",
    )
    valid_until = serializers.DateField(allow_null=True)


class CaseDetailSerializer(CaseListSerializer):
    applicant = ContactBriefSerializer(read_only=True, allow_null=True)
    origin_interaction = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    ward = WardSerializer(read_only=True, allow_null=True)
    assigned_workers = serializers.SlugRelatedField(
        many=True, slug_field="username", read_only=True
    )
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    documents = CaseDocumentSerializer(many=True, read_only=True)
    checklist = serializers.SerializerMethodField()
    events = CaseEventSerializer(many=True, read_only=True)
    queue_position = serializers.SerializerMethodField()
    # Social assistance: what its steps recorded (empty for other workflows).
    executor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    signed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "route",
            "executor",
            "household_size",
            "per_capita_income",
            "decision",
            "assistance_amount",
            "signed_by",
            "signed_at",
            "extended_until",
            "applicant",
            "applicant_relationship",
            "origin_interaction",
            "district",
            "reason_for_care",
            "has_disability",
            "disability_type",
            "disability_percent",
            "ward",
            "admitted_on",
            "room",
            "bed",
            "assigned_workers",
            "created_by",
            "queue_position",
            "checklist",
            "documents",
            "events",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=1))
    def get_queue_position(self, obj: Case) -> int | None:
        return selectors.queue_position(case=obj)

    @extend_schema_field(RequiredDocumentStatusSerializer(many=True))
    def get_checklist(self, obj: Case) -> list[dict]:
        return RequiredDocumentStatusSerializer(
            selectors.document_checklist(case=obj), many=True
        ).data


class CaseCreateSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), help_text="the beneficiary (a citizen's id)"
    )
    service = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Service.objects.filter(is_active=True),
        help_text="a service code from GET /api/v1/services/",
    )
    origin_channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WALK_IN)
    applicant = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    applicant_relationship = serializers.ChoiceField(
        choices=Case.Relationship.choices, required=False, default=""
    )
    reason_for_care = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A citizen outside the caller's jurisdiction answers exactly like one that does
            # not exist: the API is no oracle of who is registered where.
            visible = contacts_visible_to(request.user)
            self.fields["contact"].queryset = visible
            self.fields["applicant"].queryset = visible


class CaseUpdateSerializer(serializers.Serializer):
    """The request's editable parts (draft or returned) and the district's urgency."""

    applicant = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    applicant_relationship = serializers.ChoiceField(
        choices=Case.Relationship.choices, required=False
    )
    reason_for_care = serializers.CharField(required=False, allow_blank=True)
    has_disability = serializers.BooleanField(required=False, allow_null=True)
    disability_type = serializers.CharField(required=False, allow_blank=True, max_length=200)
    disability_percent = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    urgency = serializers.IntegerField(required=False, min_value=0, max_value=3)


class CaseActionSerializer(serializers.Serializer):
    """The body of an action; which fields matter depends on the action."""

    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="required for return and cancel; optional for decline",
    )
    # Not a ChoiceField: the workflow's guard answers a wrong code with the list of codes.
    reason_code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="required for return; one of: "
        + ", ".join(ReturnReason.values)
        + "; request_documents: missing, damaged or lost",
    )
    facility = serializers.IntegerField(required=False, help_text="required for allocate")
    # Placement: what the care home records when the person moves in (checked by the workflow).
    admitted_on = serializers.DateField(
        required=False,
        help_text="admit: the day the person moved in (YYYY-MM-DD; not in the future, not "
        "before the home accepted them)",
    )
    room = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="admit: the room"
    )
    bed = serializers.CharField(
        required=False,
        max_length=20,
        help_text="admit: the bed (required; one person per room and bed in a home)",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    # Social assistance: the guards say which are missing.
    executor = serializers.IntegerField(
        required=False, help_text="assign: the responsible executor's account id"
    )
    need = serializers.BooleanField(
        required=False,
        help_text="record_survey and decide: the commission's conclusion on need",
    )
    act_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text="record_survey: the survey act's number",
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="decide: the amount of assistance when need is true",
    )


class CaseDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG or PNG, at most 10 MB")
    kind = serializers.ChoiceField(
        choices=CaseDocument.Kind.choices, default=CaseDocument.Kind.REQUIRED
    )
    required_document = serializers.CharField(
        required=False,
        help_text="the service's document: its id or code (when kind is 'required')",
    )
    issue_date = serializers.DateField(required=False, allow_null=True)


class WorklistSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class StaffBriefSerializer(serializers.Serializer):
    """A staff member as people read them: the name and the role, with the account's id."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    role = serializers.CharField()

    def get_name(self, obj) -> str:
        return obj.get_full_name() or obj.username


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=5000)
    author = StaffBriefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CaseTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    assignee = StaffBriefSerializer(read_only=True)
    due_on = serializers.DateField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    created_by = StaffBriefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
    done_by = StaffBriefSerializer(read_only=True, allow_null=True)


class CaseTaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    assignee = serializers.IntegerField(
        help_text="the account id of a worker of the case's offices or of its care home"
    )
    due_on = serializers.DateField(help_text="YYYY-MM-DD, today or later")
