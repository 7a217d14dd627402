from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from kiosk.status_page import status_page as kiosk_status_page

from . import health

api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("crm.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("audit.api.urls")),
]

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
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
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
