from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .models import Call, CallStep, Prompt
from .prompts import LANGUAGES, default_text, missing_recordings


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "has_audio", "placeholder", "updated_at"]
    list_filter = ["language", "placeholder"]
    search_fields = ["key", "text"]
    fields = ["key", "language", "audio", "text", "default", "placeholder"]
    readonly_fields = ["default"]

    @admin.display(boolean=True, description=_("recording"))
    def has_audio(self, obj: Prompt) -> bool:
        return bool(obj.audio)

    @admin.display(description=_("default wording"))
    def default(self, obj: Prompt) -> str:
        return default_text(obj.key, obj.language) if obj.key else ""

    def get_urls(self):
        missing = path(
            "missing/",
            self.admin_site.admin_view(self.missing_view),
            name="ivr_prompt_missing",
        )
        return [missing, *super().get_urls()]

    def missing_view(self, request):
        """Prompts still without a recording, per language."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Voice prompts without a recording"),
            "missing": missing_recordings(LANGUAGES),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ivr/prompt/missing.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "missing": missing_recordings()}
        return super().changelist_view(request, extra_context)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "call_sid", "purpose", "state", "citizen_number", "language", "answered_by",
        "duration_seconds", "started_at",
    ]  # fmt: skip
    list_filter = ["purpose", "state", "language"]
    search_fields = ["call_sid", "citizen_number"]
    raw_id_fields = ["contact", "conversation", "interaction", "related", "callback", "answered_by"]


@admin.register(CallStep)
class CallStepAdmin(admin.ModelAdmin):
    list_display = ["call_sid", "key", "created_at"]
    search_fields = ["call_sid"]
