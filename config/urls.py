from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from crm.api import auth as auth_views
from kiosk.status_page import status_page as kiosk_status_page

from . import errors, health

api_v1 = [
    path("auth/token/", auth_views.TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", auth_views.TokenLogoutView.as_view(), name="api-logout"),
    path("auth/logoutall/", auth_views.TokenLogoutAllView.as_view(), name="api-logout-all"),
    path("", include("crm.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("audit.api.urls")),
]

# A busy or unreachable database answers 503 with Retry-After instead of a bare 500.
handler500 = errors.server_error

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sms/", include("sms.urls")),
    path("ivr/", include("ivr.urls")),
    path("kiosk/", include("kiosk.urls")),
    path("status/<str:token>/", kiosk_status_page, name="status-page"),
    path("console/", include("audit.urls")),
    path("console/", include("console.urls")),
    path("telegram/", include("telegram_bot.urls")),
    *([path("bench/", include("bench.urls"))] if settings.CRM_BENCH_ENDPOINTS else []),
]
# Uploaded documents are never served from MEDIA_URL, in any mode: only through the views
# that check the caller's jurisdiction (e.g. /api/v1/cases/{id}/documents/{doc}/).
