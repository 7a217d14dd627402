from django.contrib import admin

from .models import CannedResponse, Label, WrapUpCode


@admin.register(WrapUpCode)
class WrapUpCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_en", "label_mn", "active", "position"]
    list_editable = ["active", "position"]


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ["title", "active", "position"]
    list_editable = ["active", "position"]
    search_fields = ["title", "body_en", "body_mn", "body_ru", "body_kk"]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "country"]
    list_filter = ["country"]
    search_fields = ["name"]
    exclude = ["conversations"]
