"""The audit trail: who read or changed which record, when, from where. Append-only.

A row holds ids and action names only, never a name, a national ID or a message: it must
survive the citizen's erasure without keeping anything of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("Read")
    LIST = "list", _("List read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    ERASE = "erase", _("Erase")
    CONSENT_WITHDRAW = "consent_withdraw", _("Consent withdrawn")
    ACCOUNT_DISABLE = "account_disable", _("Account disabled")
    ACCOUNT_ENABLE = "account_enable", _("Account enabled")
    PASSWORD_RESET = "password_reset", _("Password reset")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    ACCOUNT_UNLOCK = "account_unlock", _("Account unlocked")


class Via(models.TextChoices):
    API = "api", _("API")
    CONSOLE = "console", _("Console")
    ADMIN = "admin", _("Admin")
    SYSTEM = "system", _("System")


class AppendOnly(Exception):
    """Raised for any attempt to change or delete an audit row through the application."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit rows are append-only.")

    def delete(self):
        raise AppendOnly("Audit rows are append-only.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnly("Audit rows are append-only.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No foreign key constraint: a staff account is disabled, never deleted, and the row must
    # outlive anything it points at.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    via = models.CharField(_("through"), max_length=10, choices=Via.choices)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    detail = models.CharField(
        _("detail"), max_length=100, blank=True, help_text=_("e.g. the case action or fields")
    )
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_ids = models.JSONField(
        _("objects shown"), default=list, blank=True, help_text=_("ids shown by a list read")
    )
    contact_id = models.BigIntegerField(_("citizen id"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["contact_id", "-at"], name="audit_contact_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        target = f"{self.object_type} {self.object_id}".strip()
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.action} {target}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit rows are append-only.")

    def clean(self) -> None:
        if not self._state.adding:
            raise ValidationError(_("Audit rows cannot be changed."))
