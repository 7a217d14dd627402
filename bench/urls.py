from django.urls import path

from .views import twiml_baseline

urlpatterns = [path("twiml", twiml_baseline, name="bench-twiml-baseline")]
