"""API sign-in and sign-out: one expiring token per login (django-rest-knox).

The contract's login stays as it was: ``POST /api/v1/auth/token/`` with ``username`` and
``password`` answers ``{"token": ..., "expiry": ...}``; the token goes in
``Authorization: Token <token>``. Password guessing is slowed by the django-axes lockout
(username + client address), not by the anonymous throttle: a call centre behind one address
would otherwise share one budget for all its agents.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox import views as knox_views
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated

from crm.errors import ValidationFailed
from crm.lockout import locked_out_message

from .serializers import ErrorSerializer


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class LockedOut(Throttled):
    default_code = "locked_out"


class WrongCredentials(ValidationFailed):
    code = "invalid_credentials"


TokenAnswer = inline_serializer(
    "TokenAnswer",
    {
        "token": serializers.CharField(),
        "expiry": serializers.DateTimeField(allow_null=True),
    },
)


@extend_schema(
    summary="Sign in: a new API token",
    description="Each login gets its own token, valid for a limited time (expiry). After "
    "repeated wrong passwords for a username from one address, that username is locked from "
    "that address for a while (429).",
    request=LoginSerializer,
    responses={
        200: TokenAnswer,
        400: ErrorSerializer,
        429: OpenApiResponse(ErrorSerializer, description="locked out after failed logins"),
    },
    auth=[],
)
class TokenLoginView(knox_views.LoginView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()

    def post(self, request, format=None):
        body = LoginSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The plain HttpRequest: django-axes marks a lockout on the request it is given.
        http_request = request._request
        user = authenticate(
            request=http_request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            raise LockedOut(detail=locked_out_message())
        if user is None or not user.is_active:
            # 400, as the login always answered a wrong password.
            raise WrongCredentials(_("Wrong username or password."))
        request.user = user
        return super().post(request, format=format)


@extend_schema(
    summary="Sign out: revoke this token",
    request=None,
    responses={204: None, 401: ErrorSerializer},
)
class TokenLogoutView(knox_views.LogoutView):
    permission_classes = (IsAuthenticated,)


@extend_schema(
    summary="Sign out everywhere: revoke every token of this account",
    request=None,
    responses={204: None, 401: ErrorSerializer},
)
class TokenLogoutAllView(knox_views.LogoutAllView):
    permission_classes = (IsAuthenticated,)
