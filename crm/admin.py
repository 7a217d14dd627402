from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import DomainError
from .models import (
    AdminUnit,
    Consent,
    Contact,
    ContactMerge,
    Conversation,
    Household,
    HouseholdMember,
    Identity,
    Interaction,
    RegistryPerson,
    TargetGroup,
    User,
)


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "level", "parent", "path"]
    list_filter = ["level"]
    search_fields = ["name", "name_en", "code", "path"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "unit",
        "availability",
        "is_active",
    ]
    list_filter = ["role", "availability", "is_active", "team"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("Welfare CRM"),
            {
                "fields": (
                    "role",
                    "commission",
                    "unit",
                    "team",
                    "phone",
                    "language",
                    "availability",
                    "max_open_conversations",
                )
            },
        ),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Welfare CRM"), {"fields": ("role", "commission", "unit", "language")}),
    )


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0
    fields = ["scheme", "value", "verified", "opted_out_at"]


class InteractionInline(admin.TabularInline):
    model = Interaction
    extra = 0
    fields = ["occurred_at", "channel", "direction", "kind", "body", "status", "author"]
    readonly_fields = fields
    ordering = ["-occurred_at"]
    show_change_link = True
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.action(description=_("Merge the selected citizens into the oldest one"))
def merge_contacts(modeladmin, request, queryset):
    contacts = list(queryset.filter(merged_into__isnull=True).order_by("created_at", "id"))
    if len(contacts) < 2:
        modeladmin.message_user(
            request, _("Select at least two active citizens."), messages.WARNING
        )
        return
    survivor, *duplicates = contacts
    try:
        for duplicate in duplicates:
            services.contact_merge(
                survivor=survivor,
                duplicate=duplicate,
                actor=request.user,
                reason="merged in the admin",
            )
    except DomainError as exc:
        modeladmin.message_user(request, exc.message, messages.ERROR)
        return
    modeladmin.message_user(
        request,
        _("Merged %(n)d citizens into %(who)s.") % {"n": len(duplicates), "who": survivor},
    )


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "birth_date",
        "sex",
        "address_unit",
        "preferred_language",
        "is_identified",
        "merged_into",
    ]
    list_filter = ["is_identified", "preferred_language", "sex", "target_groups"]
    search_fields = ["last_name", "first_name", "identities__value"]
    autocomplete_fields = ["address_unit"]
    raw_id_fields = ["merged_into"]
    filter_horizontal = ["target_groups"]
    inlines = [IdentityInline, InteractionInline]
    actions = [merge_contacts]
    list_select_related = ["address_unit", "merged_into"]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["value", "scheme", "contact", "verified", "opted_out_at"]
    list_filter = ["scheme", "verified"]
    search_fields = ["value"]
    raw_id_fields = ["contact"]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 1
    raw_id_fields = ["contact"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "address_unit", "address_text"]
    inlines = [HouseholdMemberInline]
    autocomplete_fields = ["address_unit"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "channel", "status", "assignee", "unread_count", "last_activity_at"]
    list_filter = ["channel", "status", "team"]
    raw_id_fields = ["contact", "assignee"]
    search_fields = ["address", "contact__last_name"]
    # Kept by the services with each interaction: shown, never typed in.
    readonly_fields = [
        "last_inbound_at",
        "last_inbound_body",
        "last_staff_reply_at",
        "waiting_since",
    ]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "contact",
        "channel",
        "direction",
        "kind",
        "status",
        "short_body",
    ]
    list_filter = ["channel", "direction", "kind", "status"]
    search_fields = ["body", "provider_message_id", "address"]
    raw_id_fields = ["contact", "conversation", "author"]
    date_hierarchy = "occurred_at"

    @admin.display(description=_("text"))
    def short_body(self, obj):
        return obj.body[:60]


@admin.register(ContactMerge)
class ContactMergeAdmin(admin.ModelAdmin):
    list_display = ["merged_at", "survivor", "merged", "actor", "reason"]
    readonly_fields = ["survivor", "merged", "snapshot", "moved", "reason", "actor", "merged_at"]

    def has_add_permission(self, request):
        return False


admin.site.register(TargetGroup)


@admin.register(RegistryPerson)
class RegistryPersonAdmin(admin.ModelAdmin):
    list_display = ["national_id", "last_name", "first_name", "birth_date", "sex"]
    search_fields = ["national_id", "last_name", "first_name"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Read-only: consents are recorded and withdrawn through their services, never edited."""

    list_display = [
        "subject",
        "given_by",
        "purpose",
        "method",
        "channel",
        "given_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "method", "channel"]
    search_fields = ["reference", "subject__search_name", "given_by__search_name"]
    raw_id_fields = ["subject", "given_by", "withdrawn_by", "recorded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
