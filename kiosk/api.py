"""The kiosk device API under /kiosk/api/v1/: thin views over the kiosk's services.

Every path answers 401 without a valid ``Authorization: Kiosk <token>``. Calls about a
citizen also carry the session key the identification returned (``X-Kiosk-Session``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.countries import country_of

from .applications import kiosk_application_services, kiosk_application_start
from .authentication import (
    SESSION_HEADER,
    IsKioskDevice,
    KioskDeviceThrottle,
    KioskIdentifyThrottle,
    KioskTokenAuthentication,
    PairingThrottle,
    language_of,
)
from .citizen_actions import kiosk_callback_request, kiosk_question_leave
from .citizen_sessions import (
    kiosk_session_active,
    kiosk_session_end,
    kiosk_session_start,
    kiosk_session_verify,
    kiosk_visit_note,
)
from .devices import kiosk_pair, kiosk_seen
from .errors import SessionEnded
from .models import Kiosk, KioskSession
from .selectors import (
    citizen_case,
    citizen_case_get,
    citizen_cases,
    citizen_summary,
    service_catalogue,
    where_to_go,
)
from .tickets import ticket_for


class KioskView(APIView):
    """A call from a paired kiosk, answered in the language chosen on its screen."""

    authentication_classes = [KioskTokenAuthentication]
    permission_classes = [IsKioskDevice]
    throttle_classes = [KioskDeviceThrottle]

    def dispatch(self, request, *args, **kwargs):
        with translation.override(language_of(request)):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        kiosk_seen(kiosk=request.auth)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Citizens' data on a shared device: no copy in any cache along the way.
        response["Cache-Control"] = "no-store"
        return response

    @property
    def kiosk(self) -> Kiosk:
        return self.request.auth

    @property
    def language(self) -> str:
        return translation.get_language() or settings.LANGUAGE_CODE

    def citizen_session(self) -> KioskSession:
        return kiosk_session_active(kiosk=self.kiosk, key=self.request.META.get(SESSION_HEADER, ""))


class DeviceStatusView(KioskView):
    """The device's own status: who it is, where it stands, how the page must behave."""

    @extend_schema(tags=["kiosk"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        kiosk = self.kiosk
        return Response(
            {
                "kiosk": {
                    "id": kiosk.pk,
                    "name": kiosk.name,
                    "unit": kiosk.unit.full_name,
                    "country": country_of(kiosk.unit),
                },
                "idle_seconds": settings.KIOSK_IDLE_SECONDS,
                "countdown_seconds": settings.KIOSK_COUNTDOWN_SECONDS,
                "last_seen_at": kiosk.last_seen_at,
            }
        )


class HeartbeatView(KioskView):
    """The device is alive; with a session key, the citizen is still there (the page touched).

    The page only calls the API when the citizen asks for something, so while they read (and
    touch) it sends this to keep their session from ending under them.
    """

    @extend_schema(tags=["kiosk"], request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        session_alive = False
        if request.META.get(SESSION_HEADER):
            try:
                self.citizen_session()
                session_alive = True
            except SessionEnded:
                pass
        return Response({"last_seen_at": self.kiosk.last_seen_at, "session": session_alive})


class CatalogueView(KioskView):
    """Public information: services, their documents, where to go, office hours."""

    @extend_schema(tags=["kiosk"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(
            {
                "services": service_catalogue(unit=self.kiosk.unit, language=self.language),
                "where": where_to_go(unit=self.kiosk.unit),
            }
        )


class IdentifySerializer(serializers.Serializer):
    national_id = serializers.CharField(max_length=20)


class IdentifyView(KioskView):
    throttle_classes = [KioskDeviceThrottle, KioskIdentifyThrottle]

    @extend_schema(tags=["kiosk"], request=IdentifySerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _valid(IdentifySerializer, request)
        sent = kiosk_session_start(
            kiosk=self.kiosk, national_id=data["national_id"], language=self.language
        )
        return Response(
            {
                "session": sent.key,
                "channel": sent.channel,
                "sent_to": sent.address_masked,
                "national_id": sent.session.national_id_masked,
                "expires_in": settings.KIOSK_CODE_TTL_SECONDS,
                "attempts": settings.KIOSK_CODE_MAX_ATTEMPTS,
            },
            status=status.HTTP_201_CREATED,
        )


class VerifySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class VerifyView(KioskView):
    @extend_schema(tags=["kiosk"], request=VerifySerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _valid(VerifySerializer, request)
        session = kiosk_session_verify(
            kiosk=self.kiosk, key=request.META.get(SESSION_HEADER, ""), code=data["code"]
        )
        return Response(
            citizen_summary(contact=session.contact, national_id_masked=session.national_id_masked)
        )


class MeView(KioskView):
    @extend_schema(tags=["kiosk"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        session = self.citizen_session()
        return Response(
            {
                **citizen_summary(
                    contact=session.contact, national_id_masked=session.national_id_masked
                ),
                "cases": citizen_cases(contact=session.contact, language=self.language),
            }
        )


class CasesView(KioskView):
    @extend_schema(tags=["kiosk"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        session = self.citizen_session()
        kiosk_visit_note(session=session, action="cases")
        return Response({"results": citizen_cases(contact=session.contact, language=self.language)})


class TicketView(KioskView):
    """The receipt of one of the citizen's own cases (a case number alone opens nothing)."""

    @extend_schema(tags=["kiosk"], request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, number: str):
        session = self.citizen_session()
        case = citizen_case_get(contact=session.contact, number=number)
        if case is None:
            raise NotFound(_("No request with this number is yours."))
        kiosk_visit_note(session=session, action="ticket", case=case.number)
        return Response(ticket_for(case=case, contact=session.contact, language=self.language))


class CallbackView(KioskView):
    @extend_schema(tags=["kiosk"], request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        session = self.citizen_session()
        return Response({"message": kiosk_callback_request(session=session)})


class QuestionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, allow_blank=True)
    request_id = serializers.CharField(max_length=64, required=False, allow_blank=True)


class QuestionView(KioskView):
    @extend_schema(tags=["kiosk"], request=QuestionSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        session = self.citizen_session()
        data = _valid(QuestionSerializer, request)
        kiosk_question_leave(
            session=session, text=data["text"], request_id=data.get("request_id", "")
        )
        return Response(
            {"message": _("Thank you. An agent will read your question and contact you.")},
            status=status.HTTP_201_CREATED,
        )


class ApplicationSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=60)
    for_self = serializers.BooleanField(default=True)
    consent = serializers.BooleanField(default=False)
    relative_national_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    relationship = serializers.CharField(max_length=20, required=False, allow_blank=True)
    request_id = serializers.CharField(max_length=64, required=False, allow_blank=True)


class ApplicationsView(KioskView):
    """The services the citizen can apply for, and starting an application (intake)."""

    @extend_schema(tags=["kiosk"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        session = self.citizen_session()
        services = kiosk_application_services(session=session)
        return Response(
            {"services": [{"code": s.code, "name": s.name_in(self.language)} for s in services]}
        )

    @extend_schema(
        tags=["kiosk"], request=ApplicationSerializer, responses={201: OpenApiTypes.OBJECT}
    )
    def post(self, request):
        session = self.citizen_session()
        data = _valid(ApplicationSerializer, request)
        case, created = kiosk_application_start(
            session=session,
            service_code=data["service"],
            for_self=data["for_self"],
            consent=data["consent"],
            relative_national_id=data.get("relative_national_id", ""),
            relationship=data.get("relationship", ""),
            request_id=data.get("request_id", ""),
        )
        view = citizen_case(case=case, contact=session.contact, language=self.language)
        return Response(
            {
                **view,
                "message": _(
                    "Your application %(number)s is registered. A social worker will contact "
                    "you; bring the documents listed on the ticket."
                )
                % {"number": case.number},
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SessionEndView(KioskView):
    """ "Finish" and the idle wipe: the citizen's session ends on the server, now."""

    @extend_schema(tags=["kiosk"], request=None, responses={204: None})
    def post(self, request):
        idle = request.data.get("reason") == KioskSession.EndReason.IDLE
        kiosk_session_end(
            kiosk=self.kiosk,
            key=request.META.get(SESSION_HEADER, ""),
            reason=KioskSession.EndReason.IDLE if idle else KioskSession.EndReason.FINISHED,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnknownPathView(KioskView):
    """Anything else under /kiosk/api/v1/: 401 like every path, then 404 for a real kiosk."""

    schema = None  # not an endpoint: nothing to document

    def get(self, request, rest: str = ""):
        raise NotFound()

    post = put = patch = delete = get


class PairSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class PairView(APIView):
    """``POST /kiosk/pair/ {"code"}`` -> ``{"token"}``, once per code."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PairingThrottle]

    def dispatch(self, request, *args, **kwargs):
        with translation.override(language_of(request)):
            return super().dispatch(request, *args, **kwargs)

    @extend_schema(tags=["kiosk"], request=PairSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _valid(PairSerializer, request)
        kiosk, token = kiosk_pair(code=data["code"])
        return Response({"token": token, "kiosk": {"id": kiosk.pk, "name": kiosk.name}})


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
