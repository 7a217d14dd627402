"""Kiosk devices: registration, pairing, authentication, heartbeat, disabling."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import AdminUnit, User

from .errors import PairingFailed
from .models import Kiosk, KioskSession
from .secrets import PAIRING_CODE_DIGITS, digits_new, secret_hash, token_new

# A kiosk's last_seen_at is written at most this often: every API call would otherwise be a
# write, and the admin only needs to know about minutes of silence.
SEEN_RESOLUTION = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class KioskCredentials:
    """What an operator gets once, at registration: nothing here is stored in clear."""

    kiosk: Kiosk
    token: str
    pairing_code: str


def unit_find(reference: str) -> AdminUnit:
    """A unit by id or materialised path ("MN/UB/SKH/07", trailing slash optional)."""
    reference = (reference or "").strip()
    unit = None
    if reference.isdigit():
        unit = AdminUnit.objects.filter(pk=int(reference)).first()
    if unit is None and reference:
        unit = AdminUnit.objects.filter(path=reference.rstrip("/") + "/").first()
    if unit is None:
        raise PairingFailed(
            _("No administrative unit %(unit)s: give its id or path, e.g. MN/UB/SKH/07.")
            % {"unit": reference}
        )
    return unit


def _pairing_code_new(kiosk: Kiosk) -> str:
    code = digits_new(PAIRING_CODE_DIGITS)
    kiosk.pairing_code_hash = secret_hash(code)
    kiosk.pairing_code_expires_at = timezone.now() + dt.timedelta(
        hours=settings.KIOSK_PAIRING_TTL_HOURS
    )
    return code


@transaction.atomic
def kiosk_register(*, unit: AdminUnit, name: str, actor: User | None = None) -> KioskCredentials:
    """A new kiosk with a device token and a one-time pairing code, each shown only now."""
    name = (name or "").strip()
    if not name:
        raise PairingFailed(_("Give the kiosk a name, e.g. the building and floor."))
    token = token_new()
    kiosk = Kiosk(name=name, unit=unit, token_hash=secret_hash(token), created_by=actor)
    code = _pairing_code_new(kiosk)
    kiosk.save()
    return KioskCredentials(kiosk=kiosk, token=token, pairing_code=code)


@transaction.atomic
def kiosk_credentials_renew(*, kiosk: Kiosk) -> KioskCredentials:
    """A fresh token and pairing code (a kiosk was replaced or its token leaked).

    The old token stops working at once.
    """
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    token = token_new()
    kiosk.token_hash = secret_hash(token)
    code = _pairing_code_new(kiosk)
    kiosk.save(update_fields=["token_hash", "pairing_code_hash", "pairing_code_expires_at"])
    return KioskCredentials(kiosk=kiosk, token=token, pairing_code=code)


@transaction.atomic
def kiosk_pair(*, code: str) -> tuple[Kiosk, str]:
    """Trade a pairing code for a fresh device token, once; the printed token stops working."""
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    refused = PairingFailed(
        _(
            "This pairing code is not valid: it may be mistyped, used or expired. "
            "Ask the operator for a new one."
        )
    )
    if len(code) != PAIRING_CODE_DIGITS:
        raise refused
    kiosk = (
        Kiosk.objects.select_for_update()
        .filter(pairing_code_hash=secret_hash(code), is_active=True)
        .first()
    )
    if kiosk is None or kiosk.pairing_code_expires_at < timezone.now():
        raise refused
    token = token_new()
    kiosk.token_hash = secret_hash(token)
    kiosk.pairing_code_hash = None
    kiosk.pairing_code_expires_at = None
    kiosk.paired_at = kiosk.last_seen_at = timezone.now()
    kiosk.save(
        update_fields=[
            "token_hash",
            "pairing_code_hash",
            "pairing_code_expires_at",
            "paired_at",
            "last_seen_at",
        ]
    )
    return kiosk, token


def kiosk_for_token(*, token: str) -> Kiosk | None:
    """The enabled kiosk holding this device token, or None."""
    if not token or len(token) > 200:
        return None
    return (
        Kiosk.objects.select_related("unit")
        .filter(token_hash=secret_hash(token), is_active=True)
        .first()
    )


def kiosk_seen(*, kiosk: Kiosk) -> None:
    """Record that the kiosk is alive (every call is a heartbeat; see SEEN_RESOLUTION)."""
    now = timezone.now()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at >= SEEN_RESOLUTION:
        Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
        kiosk.last_seen_at = now


@transaction.atomic
def kiosk_disable(*, kiosk: Kiosk) -> None:
    """Refuse the kiosk from now on and end whatever citizen session is open on it."""
    now = timezone.now()
    Kiosk.objects.filter(pk=kiosk.pk).update(is_active=False, disabled_at=now)
    KioskSession.objects.filter(kiosk=kiosk).exclude(state=KioskSession.State.ENDED).update(
        state=KioskSession.State.ENDED, end_reason=KioskSession.EndReason.EXPIRED, ended_at=now
    )
    kiosk.is_active, kiosk.disabled_at = False, now


@transaction.atomic
def kiosk_enable(*, kiosk: Kiosk) -> None:
    Kiosk.objects.filter(pk=kiosk.pk).update(is_active=True, disabled_at=None)
    kiosk.is_active, kiosk.disabled_at = True, None
