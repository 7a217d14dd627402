"""Desk-console reference data: wrap-up codes, canned responses and conversation labels.

Both are operator-maintained lists (admin), kept out of the core because only the console
uses them.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class WrapUpCode(models.Model):
    """Why a conversation was closed, so supervisors can count outcomes."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_mn = models.CharField(_("label (Mongolian)"), max_length=120)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=120)
    label_ru = models.CharField(_("label (Russian)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("wrap-up code")
        verbose_name_plural = _("wrap-up codes")

    def __str__(self) -> str:
        return self.label_en

    def label(self, language: str) -> str:
        return getattr(self, f"label_{language[:2]}", "") or self.label_en


class CannedResponse(models.Model):
    """A ready answer an agent inserts into the reply box, in the citizen's language."""

    title = models.CharField(_("title"), max_length=120)
    body_mn = models.TextField(_("text (Mongolian)"))
    body_kk = models.TextField(_("text (Kazakh)"))
    body_ru = models.TextField(_("text (Russian)"))
    body_en = models.TextField(_("text (English)"))
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return self.title

    def body(self, language: str) -> str:
        return getattr(self, f"body_{language[:2]}", "") or self.body_en


class Label(models.Model):
    """A tag agents put on conversations ("urgent", "allowance") to sort and filter the inbox.

    A label with a country belongs to that country's desk; one without is shared by all.
    """

    name = models.CharField(_("name"), max_length=40)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5fa8",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour such as #1f5fa8."), code="colour")
        ],
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Empty: every country's desk.")
    )
    conversations = models.ManyToManyField(
        "crm.Conversation", verbose_name=_("conversations"), blank=True, related_name="labels"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="label_name_once_per_country")
        ]

    def __str__(self) -> str:
        return self.name
