from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import LinkReview, TelegramChat, TelegramUpdate
from .updates import update_process


@admin.register(TelegramUpdate)
class TelegramUpdateAdmin(admin.ModelAdmin):
    list_display = ["update_id", "kind", "status", "attempts", "received_at", "processed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["update_id"]
    readonly_fields = [f.name for f in TelegramUpdate._meta.fields]
    actions = ["run_again"]

    @admin.action(description=_("Handle the selected failed updates again"))
    def run_again(self, request, queryset) -> None:
        count = 0
        for row in queryset.filter(status=TelegramUpdate.Status.FAILED):
            row.status = TelegramUpdate.Status.RECEIVED
            row.attempts = 0
            row.save(update_fields=["status", "attempts"])
            update_process(row.update_id)
            count += 1
        self.message_user(request, _("%(n)s updates handled again.") % {"n": count}, messages.INFO)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TelegramChat)
class TelegramChatAdmin(admin.ModelAdmin):
    list_display = ["user_id", "contact", "language", "step", "updated_at"]
    list_filter = ["step", "language"]
    search_fields = ["user_id"]
    raw_id_fields = ["contact"]


@admin.register(LinkReview)
class LinkReviewAdmin(admin.ModelAdmin):
    list_display = ["phone", "telegram_contact", "phone_contact", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["telegram_contact", "phone_contact"]
