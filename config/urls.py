from importlib.util import find_spec as _find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from . import health


def find_spec(module: str):
    try:
        return _find_spec(module)
    except ModuleNotFoundError:
        return None


def _optional(module: str, prefix: str) -> list:
    """Mount an app's urls when it has any (apps arrive one issue at a time)."""
    return [path(prefix, include(module))] if find_spec(module) else []


api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("crm.api.urls")),
    *_optional("cases.api.urls", ""),
    *_optional("channels_app.api.urls", ""),
]

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    *_optional("sms.urls", "sms/"),
    *_optional("ivr.urls", "ivr/"),
    *_optional("kiosk.urls", "kiosk/"),
    *_optional("console.urls", "console/"),
    path("telegram/", include("telegram_bot.urls")),
    *([path("bench/", include("bench.urls"))] if settings.CRM_BENCH_ENDPOINTS else []),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
