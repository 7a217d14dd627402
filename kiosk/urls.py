from django.urls import include, path, re_path

from . import api, views

api_v1 = [
    path("", api.DeviceStatusView.as_view(), name="kiosk-api-root"),
    path("heartbeat/", api.HeartbeatView.as_view(), name="kiosk-api-heartbeat"),
    path("catalogue/", api.CatalogueView.as_view(), name="kiosk-api-catalogue"),
    path("identify/", api.IdentifyView.as_view(), name="kiosk-api-identify"),
    path("verify/", api.VerifyView.as_view(), name="kiosk-api-verify"),
    path("me/", api.MeView.as_view(), name="kiosk-api-me"),
    path("cases/", api.CasesView.as_view(), name="kiosk-api-cases"),
    path("cases/<str:number>/ticket/", api.TicketView.as_view(), name="kiosk-api-ticket"),
    path("applications/", api.ApplicationsView.as_view(), name="kiosk-api-applications"),
    path("callback/", api.CallbackView.as_view(), name="kiosk-api-callback"),
    path("question/", api.QuestionView.as_view(), name="kiosk-api-question"),
    path("session/end/", api.SessionEndView.as_view(), name="kiosk-api-session-end"),
    re_path(r"^(?P<rest>.+)$", api.UnknownPathView.as_view()),
]

urlpatterns = [
    path("", views.touch_page, name="kiosk-page"),
    path("pair/", api.PairView.as_view(), name="kiosk-pair"),
    path("api/v1/", include(api_v1)),
]
