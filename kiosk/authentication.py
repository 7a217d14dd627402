"""The device token (``Authorization: Kiosk <token>``), the per-device throttle, languages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from crm.models import Language

from .devices import kiosk_for_token
from .models import Kiosk

KEYWORD = "Kiosk"
SESSION_HEADER = "HTTP_X_KIOSK_SESSION"
LANGUAGE_HEADER = "HTTP_X_KIOSK_LANGUAGE"


class KioskTokenAuthentication(BaseAuthentication):
    """A registered, enabled kiosk; anything else is a 401 with a ``Kiosk`` challenge."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid kiosk token header."))
        try:
            token = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid kiosk token.")) from exc
        kiosk = kiosk_for_token(token=token)
        if kiosk is None:
            raise exceptions.AuthenticationFailed(_("Invalid, replaced or disabled kiosk token."))
        return AnonymousUser(), kiosk

    def authenticate_header(self, request) -> str:
        return KEYWORD


class IsKioskDevice(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Kiosk)


class KioskDeviceThrottle(SimpleRateThrottle):
    """Requests per kiosk: a stuck or abused device cannot flood the API."""

    scope = "kiosk_device"

    def get_rate(self) -> str:
        return settings.KIOSK_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, Kiosk):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class KioskIdentifyThrottle(KioskDeviceThrottle):
    """Codes sent from one kiosk: each costs an SMS, and a stranger cycling through national IDs
    must not text a whole district."""

    scope = "kiosk_identify"

    def get_rate(self) -> str:
        return settings.KIOSK_IDENTIFY_THROTTLE_RATE


class AddressThrottle(SimpleRateThrottle):
    """Per client address, for the endpoints that have no device yet (pairing, status page)."""

    scope = "kiosk_public"
    rate_setting = "KIOSK_THROTTLE_RATE"

    def get_rate(self) -> str:
        return getattr(settings, self.rate_setting)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PairingThrottle(AddressThrottle):
    """Pairing codes are ten digits; ten guesses a minute from one address get nowhere."""

    scope = "kiosk_pairing"

    def get_rate(self) -> str:
        return "10/min"


class StatusPageThrottle(AddressThrottle):
    scope = "status_page"
    rate_setting = "STATUS_PAGE_THROTTLE_RATE"


LANGUAGES = {code for code, _label in Language.choices}


def language_of(request, default: str | None = None) -> str:
    """The language the citizen chose on the touch page (header), else ``default``."""
    chosen = (request.META.get(LANGUAGE_HEADER) or request.GET.get("lang") or "").strip()[:2]
    if chosen in LANGUAGES:
        return chosen
    return default or settings.LANGUAGE_CODE


class KioskTokenScheme(OpenApiAuthenticationExtension):
    """Documents ``Authorization: Kiosk <token>`` in the OpenAPI schema."""

    target_class = KioskTokenAuthentication
    name = "kioskToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'The device token of a paired kiosk: "Kiosk <token>".',
        }
