"""Kiosks for operators: register, see which ones went silent, disable, re-pair."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .devices import kiosk_credentials_renew, kiosk_disable, kiosk_enable, kiosk_register
from .models import Kiosk, KioskSession
from .selectors import kiosks_silent


class SeenFilter(admin.SimpleListFilter):
    title = _("heartbeat")
    parameter_name = "seen"

    def lookups(self, request, model_admin):
        return [("stale", _("Not seen recently")), ("recent", _("Seen recently"))]

    def queryset(self, request, queryset):
        silent = kiosks_silent().values("pk")
        if self.value() == "stale":
            return queryset.filter(pk__in=silent)
        if self.value() == "recent":
            return queryset.exclude(pk__in=silent)
        return queryset


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_active", "heartbeat", "last_seen_at", "paired_at"]
    list_filter = [SeenFilter, "is_active"]
    search_fields = ["name", "unit__name", "unit__path"]
    autocomplete_fields = ["unit"]
    fields = ["name", "unit", "is_active", "last_seen_at", "paired_at", "disabled_at"]
    readonly_fields = ["is_active", "last_seen_at", "paired_at", "disabled_at"]
    actions = ["disable", "enable", "renew_credentials"]

    @admin.display(description=_("heartbeat"), boolean=True)
    def heartbeat(self, kiosk: Kiosk) -> bool:
        return not kiosk.is_stale()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        credentials = kiosk_register(unit=obj.unit, name=obj.name, actor=request.user)
        obj.pk = credentials.kiosk.pk
        self._show_credentials(request, credentials)

    def _show_credentials(self, request, credentials) -> None:
        messages.warning(
            request,
            _(
                "%(kiosk)s: device token %(token)s, pairing code %(code)s. Shown only now: "
                "enter the pairing code on the kiosk's screen."
            )
            % {
                "kiosk": credentials.kiosk.name,
                "token": credentials.token,
                "code": credentials.pairing_code,
            },
        )

    @admin.action(description=_("Disable (refused at once)"))
    def disable(self, request, queryset):
        for kiosk in queryset:
            kiosk_disable(kiosk=kiosk)
        self.message_user(request, _("%(n)s kiosk(s) disabled.") % {"n": queryset.count()})

    @admin.action(description=_("Enable"))
    def enable(self, request, queryset):
        for kiosk in queryset:
            kiosk_enable(kiosk=kiosk)

    @admin.action(description=_("New token and pairing code"))
    def renew_credentials(self, request, queryset):
        for kiosk in queryset:
            self._show_credentials(request, kiosk_credentials_renew(kiosk=kiosk))


@admin.register(KioskSession)
class KioskSessionAdmin(admin.ModelAdmin):
    list_display = ["kiosk", "national_id_masked", "state", "end_reason", "created_at", "ended_at"]
    list_filter = ["state", "end_reason", "kiosk"]
    readonly_fields = [f.name for f in KioskSession._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
