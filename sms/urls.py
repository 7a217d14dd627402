from django.urls import path

from . import views

app_name = "sms"

urlpatterns = [
    path("twilio/inbound", views.inbound, name="twilio-inbound"),
    path("twilio/status", views.status, name="twilio-status"),
    path("twilio/fallback", views.fallback, name="twilio-fallback"),
]
