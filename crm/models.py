"""Citizens, what they said, and the staff who serve them.

Nothing here knows about a particular channel's code: a channel is a slug on a row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .countries import country_of


class Language(models.TextChoices):
    MN = "mn", _("Mongolian")
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")


class Channel(models.TextChoices):
    """Where an interaction happened. Channel adapters live outside the core."""

    SMS = "sms", _("SMS")
    VOICE = "voice", _("Phone call (IVR)")
    TELEGRAM = "telegram", _("Telegram")
    KIOSK = "kiosk", _("Kiosk")
    WALK_IN = "walk_in", _("Office visit")
    STAFF = "staff", _("Staff (internal)")


# --- administrative units ----------------------------------------------------------------


class AdminUnit(models.Model):
    """Country -> aimag/city/oblast -> soum/district/raion -> bag/khoroo/okrug.

    ``path`` is a materialised path ("MN/UB/SHD/07/") so "this unit and everything under it"
    is one indexed prefix match instead of a recursive query.
    """

    class Level(models.IntegerChoices):
        COUNTRY = 0, _("Country")
        REGION = 1, _("Aimag, capital city or oblast")
        DISTRICT = 2, _("Soum, district or raion")
        SUBDISTRICT = 3, _("Bag, khoroo or rural okrug")

    code = models.CharField(_("code"), max_length=20, help_text=_("Unique within its parent."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="adminunit_code_per_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is derived data; keeping it in step here is the one place it can drift.
        old_path = self.path
        self.path = self.build_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}/"

    def subtree(self) -> models.QuerySet[AdminUnit]:
        return AdminUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[AdminUnit]:
        prefixes = []
        parts = self.path.strip("/").split("/")
        for i in range(1, len(parts)):
            prefixes.append("/".join(parts[:i]) + "/")
        return AdminUnit.objects.filter(path__in=prefixes).order_by("level")

    def contains(self, other: AdminUnit | None) -> bool:
        return bool(other) and other.path.startswith(self.path)

    @property
    def full_name(self) -> str:
        names = [u.name for u in self.ancestors() if u.level > self.Level.COUNTRY]
        return ", ".join([*names, self.name])


# --- staff -------------------------------------------------------------------------------


class Role(models.TextChoices):
    AGENT = "agent", _("Call-centre agent")
    LOCAL_WORKER = "local_worker", _("Local social worker (soum/khoroo)")
    DISTRICT_WORKER = "district_worker", _("District social worker (aimag/district)")
    FACILITY_STAFF = "facility_staff", _("Care-home staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")
    # The Kazakh social-assistance regulation's people (seed 004).
    CLERK = "clerk", _("Office clerk (registry)")
    HEAD = "head", _("Head of the welfare office")
    EXECUTOR = "executor", _("Responsible executor")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    AKIM = "akim", _("Rural akim's office")


class Commission(models.TextChoices):
    """The commission a commission member sits on (seed 004)."""

    LOCAL = "local", _("Local (precinct) commission")
    SPECIAL = "special", _("Special commission")


class User(AbstractUser):
    """A staff account. Citizens are Contacts, never Users."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        AWAY = "away", _("Away")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("home unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("The account sees this unit and everything under it."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.MN
    )
    availability = models.CharField(
        _("availability"),
        max_length=10,
        choices=Availability.choices,
        default=Availability.AWAY,
    )
    max_open_conversations = models.PositiveSmallIntegerField(
        _("open conversations limit"), default=8
    )
    team = models.CharField(_("team"), max_length=50, blank=True)
    phone = models.CharField(
        _("phone for calls"),
        max_length=20,
        blank=True,
        help_text=_(
            "The agent's own phone in international format (+976...): the hotline rings it "
            "to connect a waiting caller or to call a citizen back."
        ),
    )
    commission = models.CharField(
        _("commission"),
        max_length=10,
        choices=Commission.choices,
        blank=True,
        help_text=_("Only for commission members: the commission they sit on."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        constraints = [
            # A commission member always sits on exactly one commission; nobody else does.
            models.CheckConstraint(
                condition=(Q(role="commission_member") & ~Q(commission=""))
                | (~Q(role="commission_member") & Q(commission="")),
                name="commission_only_for_members",
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == Role.COMMISSION_MEMBER and not self.commission:
            raise ValidationError({"commission": _("Choose the commission this member sits on.")})
        if self.role != Role.COMMISSION_MEMBER and self.commission:
            raise ValidationError({"commission": _("Only commission members sit on one.")})

    @property
    def duty(self) -> str:
        """The role as workflows name it: a commission member with their commission."""
        if self.role == Role.COMMISSION_MEMBER and self.commission:
            return f"{self.role}:{self.commission}"
        return self.role

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


# --- citizens ----------------------------------------------------------------------------


class TargetGroup(models.Model):
    """Target-group categories of the multi-channel programme (seed 002)."""

    code = models.SlugField(max_length=40, unique=True)
    name_mn = models.CharField(max_length=200)
    name_kk = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name_en

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en


class ContactQuerySet(models.QuerySet):
    def active(self) -> ContactQuerySet:
        return self.filter(merged_into__isnull=True)


class Contact(models.Model):
    """A citizen: one person, one timeline, whatever the channel."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        UNKNOWN = "", _("Unknown")

    first_name = models.CharField(_("given name"), max_length=100, blank=True)
    last_name = models.CharField(
        _("family or father's name"), max_length=100, blank=True, db_index=True
    )
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    address_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("address unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    address_text = models.CharField(_("address"), max_length=255, blank=True)
    # The country whose staff may see a citizen not yet placed in any unit (an unknown sender):
    # the address unit's country once there is one, else what the identity tells (+976, an IIN).
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, blank=True
    )
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="contacts"
    )
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    consent_data_processing = models.BooleanField(_("consents to data processing"), default=False)
    consent_messages = models.BooleanField(
        _("consents to notifications"),
        default=True,
        help_text=_("Case notifications on the citizen's own channel."),
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    is_identified = models.BooleanField(
        _("identified"),
        default=False,
        help_text=_("False for a sender we only know by a phone number or chat id."),
    )
    # Case-folded "last first middle": SQLite's LIKE folds only ASCII, and Cyrillic names
    # must match however they were typed.
    search_name = models.CharField(max_length=310, blank=True, editable=False, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_contacts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:

        self.search_name = self.fold_name(self.last_name, self.first_name, self.middle_name)
        if self.address_unit_id:
            self.country = country_of(self.address_unit)
        elif not self.country:
            self.country = country_of(None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"last_name", "first_name", "middle_name"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        if update_fields is not None and "address_unit" in update_fields:
            kwargs["update_fields"] = {*kwargs["update_fields"], "country"}
        super().save(*args, **kwargs)

    @staticmethod
    def fold_name(*parts: str) -> str:
        return " ".join(p.strip() for p in parts if p and p.strip()).casefold()

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.last_name, self.first_name) if p)
        if name:
            return name
        phone = next(
            (i.value for i in self.identities.all() if i.scheme == Identity.Scheme.PHONE), None
        )
        return phone or f"#{self.pk}"

    def age_on(self, day) -> int | None:
        if not self.birth_date:
            return None
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def language(self) -> str:
        return self.preferred_language or settings.COUNTRY["language"]


class Identity(models.Model):
    """One way to recognise a contact: a phone number, a Telegram user id, a national id.

    Values are stored normalised (E.164, canonical Cyrillic, digits) so the same person typed
    two ways is never two identities.
    """

    class Scheme(models.TextChoices):
        PHONE = "phone", _("Phone number")
        TELEGRAM = "telegram", _("Telegram user id")
        NATIONAL_ID = "national_id", _("National ID")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    value = models.CharField(_("value"), max_length=64)
    verified = models.BooleanField(_("verified"), default=False)
    opted_out_at = models.DateTimeField(
        _("opted out at"),
        null=True,
        blank=True,
        help_text=_("Set when the citizen sent STOP; nothing is sent to this address until START."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="identity_unique_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.value}"

    @property
    def opted_out(self) -> bool:
        return self.opted_out_at is not None


class Household(models.Model):
    """People living and earning together, for per-capita income (seed 004)."""

    address_unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    address_text = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{_('Household')} #{self.pk}"


class HouseholdMember(models.Model):
    class Relationship(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    monthly_income = models.DecimalField(
        _("monthly income"), max_digits=12, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [models.UniqueConstraint(fields=["household", "contact"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_relationship_display()})"


class RegistryPerson(models.Model):
    """The demo stand-in for the state data-exchange registry (ХУР / ГБД ФЛ)."""

    national_id = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Contact.Sex.choices)
    address_unit_path = models.CharField(max_length=255, blank=True)
    address_text = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("registry person (demo)")
        verbose_name_plural = _("registry (demo)")

    def __str__(self) -> str:
        return f"{self.national_id} {self.last_name} {self.first_name}"


# --- what citizens said ------------------------------------------------------------------


class Conversation(models.Model):
    """A thread with one contact on one channel, as agents work it in the inbox."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        RESOLVED = "resolved", _("Resolved")

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="conversations")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    address = models.CharField(
        _("citizen's address"),
        max_length=64,
        blank=True,
        help_text=_("Where replies go: the phone number or chat id the citizen used."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    team = models.CharField(_("team"), max_length=50, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    wrap_up_code = models.CharField(_("wrap-up code"), max_length=40, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the inbox lists of each row, written with each interaction recorded
    # (crm.conversation_facts): read from the interactions they cost three subqueries a row.
    last_inbound_at = models.DateTimeField(
        _("citizen's last message at"), null=True, blank=True, editable=False
    )
    last_inbound_body = models.TextField(_("citizen's last message"), blank=True, editable=False)
    last_staff_reply_at = models.DateTimeField(
        _("last staff reply at"), null=True, blank=True, editable=False
    )
    waiting_since = models.DateTimeField(
        _("waiting for an answer since"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["status", "-last_activity_at"], name="conv_inbox_idx"),
            models.Index(fields=["assignee", "status"], name="conv_assignee_idx"),
        ]
        constraints = [
            # One live thread per contact and channel: a new message joins it.
            models.UniqueConstraint(
                fields=["contact", "channel"],
                condition=~Q(status="resolved"),
                name="one_live_conversation_per_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} — {self.contact}"


class Interaction(models.Model):
    """Anything on a contact's timeline: a message, a call, a kiosk visit, a note."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("From the citizen")
        OUTBOUND = "out", _("To the citizen")
        INTERNAL = "internal", _("Internal")

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        CALL = "call", _("Call")
        VOICEMAIL = "voicemail", _("Voicemail")
        KIOSK_VISIT = "kiosk_visit", _("Kiosk visit")
        NOTE = "note", _("Note")
        CASE_EVENT = "case_event", _("Case event")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        UNDELIVERED = "undelivered", _("Undelivered")

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="interactions")
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    body = models.TextField(blank=True)
    address = models.CharField(
        max_length=64, blank=True, help_text=_("The citizen's phone number or chat id.")
    )
    provider_message_id = models.CharField(max_length=64, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_interactions",
    )
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["contact", "-occurred_at"], name="interaction_timeline_idx"),
            models.Index(fields=["conversation", "-occurred_at"], name="interaction_conv_idx"),
        ]
        constraints = [
            # A provider retrying a webhook must never create a second row.
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"],
                condition=Q(provider_message_id__isnull=False),
                name="interaction_provider_id_once_per_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_direction_display()}: {self.body[:40]}"


class ContactMerge(models.Model):
    """The record that two contacts were found to be one person."""

    survivor = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="merged_away", null=True
    )
    snapshot = models.JSONField(help_text=_("The merged contact's fields before the merge."))
    moved = models.JSONField(default=dict, help_text=_("How many rows moved, per relation."))
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("contact merge")
        verbose_name_plural = _("contact merges")

    def __str__(self) -> str:
        return f"#{self.merged_id} -> #{self.survivor_id}"


# --- consent -----------------------------------------------------------------------------


class Consent(models.Model):
    """One person's consent, as given: who gave it, for whom, what for, how, when, where.

    Rows are never deleted: a withdrawal sets ``withdrawn_at`` so the record of what was
    agreed, and when it stopped, stays for the audit.
    """

    class Purpose(models.TextChoices):
        APPLICATION = "application", _("Apply for a service and process the application")
        DATA_PROCESSING = "data_processing", _("Process personal data")
        NOTIFICATIONS = "notifications", _("Receive case notifications")

    class Method(models.TextChoices):
        SELF_CONFIRMED = "self_confirmed", _("Confirmed by the person on a channel")
        DECLARED_BY_REPRESENTATIVE = (
            "declared_by_representative",
            _("Declared by the person applying on their behalf"),
        )
        VERBAL = "verbal", _("Said aloud to a staff member")
        SIGNED_FORM = "signed_form", _("Signed paper form")

    subject = models.ForeignKey(
        Contact,
        verbose_name=_("for whom"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    given_by = models.ForeignKey(
        Contact,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="consents_given",
    )
    relationship = models.CharField(
        _("relationship of the giver"),
        max_length=20,
        blank=True,
        help_text=_("Empty when the person consented for themself."),
    )
    purpose = models.CharField(_("what for"), max_length=20, choices=Purpose.choices)
    method = models.CharField(_("how"), max_length=30, choices=Method.choices)
    channel = models.CharField(_("on which channel"), max_length=20, choices=Channel.choices)
    reference = models.CharField(
        _("reference"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("What the consent covers, e.g. a case number."),
    )
    evidence = models.JSONField(
        _("evidence"),
        default=dict,
        blank=True,
        help_text=_("What was shown and answered, e.g. the message that confirmed it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Contact,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_channel = models.CharField(
        _("withdrawn on channel"), max_length=20, choices=Channel.choices, blank=True
    )
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=255, blank=True)
    # The staff member who wrote the withdrawal down (a walk-in, a call); None when the
    # citizen withdrew on a channel themself.
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["subject", "purpose"], name="consent_subject_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: #{self.subject_id} ({self.given_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
