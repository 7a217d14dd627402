"""The operator's view of the case core. Status changes go through the workflow, never
through a form field, so ``status`` is read-only here and histories cannot be edited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Breach,
    CalendarOverride,
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    CaseStatusLink,
    Facility,
    FacilityStaff,
    OfficeHours,
    RequiredDocument,
    Service,
    Ward,
)


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = [
        "position",
        "code",
        "name_mn",
        "name_en",
        "requirement",
        "condition",
        "is_health_document",
        "valid_months",
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "legal_basis",
        "payment_frequency",
        "amount",
        "currency",
        "workflow",
        "is_active",
    ]
    list_filter = ["workflow", "is_active", "payment_frequency"]
    search_fields = ["code", "name_mn", "name_en", "legal_basis"]
    inlines = [RequiredDocumentInline]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):
    list_display = ["service", "code", "name_en", "requirement", "is_health_document"]
    list_filter = ["service", "requirement", "is_health_document"]
    search_fields = ["code", "name_mn", "name_en"]


class WardInline(admin.TabularInline):
    model = Ward
    extra = 0
    fields = ["sex", "capacity", "occupied", "reserved"]
    # Occupied and reserved follow the cases; an operator sets only the capacity.
    readonly_fields = ["occupied", "reserved"]


class FacilityStaffInline(admin.TabularInline):
    model = FacilityStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "unit",
        "accreditation",
        "accreditation_valid_until",
        "beds",
        "free_beds",
        "is_active",
    ]
    list_filter = ["accreditation", "is_active"]
    search_fields = ["name", "name_en", "unit__name", "unit__path"]
    autocomplete_fields = ["unit"]
    inlines = [WardInline, FacilityStaffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").prefetch_related("wards")

    @admin.display(description=_("beds"))
    def beds(self, obj: Facility) -> int:
        return sum(w.capacity for w in obj.wards.all())

    @admin.display(description=_("free beds"))
    def free_beds(self, obj: Facility) -> int:
        return sum(w.free for w in obj.wards.all())


@admin.register(FacilityStaff)
class FacilityStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "facility"]
    search_fields = ["user__username", "facility__name"]
    autocomplete_fields = ["user", "facility"]


class CaseDocumentInline(admin.TabularInline):
    model = CaseDocument
    extra = 0
    fields = ["kind", "required_document", "issue_date", "file", "content_type", "size"]
    readonly_fields = fields
    # Uploads go through the API, which checks the file's bytes and size.
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["occurred_at", "action", "from_status", "to_status", "actor", "reason_code", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "beneficiary",
        "service",
        "status",
        "unit",
        "facility",
        "origin_channel",
        "due_date",
        "created_at",
    ]
    list_filter = ["status", "service", "origin_channel", "facility"]
    search_fields = ["number", "beneficiary__search_name", "beneficiary__identities__value"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["beneficiary", "applicant", "unit", "assigned_workers"]
    readonly_fields = [
        "number",
        "status",
        "service",
        "facility",
        "ward",
        "district",
        "priority_score",
        "submitted_at",
        "status_changed_at",
        "due_date",
        "origin_interaction",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [CaseDocumentInline, CaseEventInline]
    list_select_related = ["beneficiary", "service", "unit", "facility"]

    def has_add_permission(self, request) -> bool:
        # A case starts through the API or a channel so its number and first event are right.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # The history is kept; a wrong request is cancelled, not deleted.
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "case", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status", "reason_code"]
    search_fields = ["case__number", "reason"]
    date_hierarchy = "occurred_at"
    list_select_related = ["case", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseCounter)
class CaseCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseDocument)
class CaseDocumentAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "required_document", "issue_date", "content_type", "size"]
    list_filter = ["kind", "content_type"]
    search_fields = ["case__number", "original_name"]
    list_select_related = ["case", "required_document"]
    readonly_fields = [
        "case",
        "kind",
        "required_document",
        "file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request) -> bool:
        # Uploads go through the API, which checks the file's bytes and size.
        return False


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["facility", "sex", "capacity", "occupied", "reserved", "free"]
    list_filter = ["sex"]
    search_fields = ["facility__name"]
    readonly_fields = ["occupied", "reserved"]


@admin.register(CaseStatusLink)
class CaseStatusLinkAdmin(admin.ModelAdmin):
    """Public status links printed on kiosk tickets; revoking one empties its page at once."""

    list_display = ["case", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["case__number"]
    readonly_fields = ["case", "created_at", "revoked_at"]
    fields = ["case", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke (the link shows nothing from now on)"))
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = [
        "country",
        "time_zone",
        "opens_at",
        "lunch_starts_at",
        "lunch_ends_at",
        "closes_at",
        "first_reply_minutes",
        "callback_minutes",
        "escalate_after_minutes",
    ]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "country", "is_working_day", "reason"]
    list_filter = ["country", "is_working_day"]
    date_hierarchy = "date"
    search_fields = ["reason"]


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    """Missed deadlines are a record: readable, never edited or deleted here."""

    list_display = [
        "breached_at",
        "kind",
        "case",
        "step",
        "holder",
        "due_at",
        "level",
        "resolved_at",
    ]
    list_filter = ["kind", "level", "step"]
    date_hierarchy = "breached_at"
    search_fields = ["case__number", "holder__username"]
    list_select_related = ["case", "holder"]
    raw_id_fields = ["case", "conversation", "holder", "unit"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
