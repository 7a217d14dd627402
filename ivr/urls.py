from django.urls import path

from . import views

app_name = "ivr"

urlpatterns = [
    path("twilio/voice", views.voice, name="twilio-voice"),
    path("twilio/status", views.status, name="twilio-status"),
    path("twilio/fallback", views.fallback, name="twilio-fallback"),
    path("twilio/wait", views.wait, name="twilio-wait"),
    path("twilio/bridged", views.bridged, name="twilio-bridged"),
    path("twilio/recording", views.recording, name="twilio-recording"),
    path("twilio/notify", views.notify, name="twilio-notify"),
    path("twilio/step/<slug:name>", views.step, name="twilio-step"),
    path(
        "prompts/<str:language>/<slug:key>.<str:extension>",
        views.prompt_audio,
        name="prompt-audio",
    ),
]
