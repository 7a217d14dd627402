from django.contrib import admin

from .models import LinkReview, TelegramChat


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
