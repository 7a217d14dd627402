from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: rows are never edited or deleted here."""

    list_display = ["at", "actor_username", "via", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "via", "object_type"]
    search_fields = ["actor_username", "object_id", "=contact_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
