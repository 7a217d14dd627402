from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import (
    AuditEntryViewSet,
    ContactConsentWithdrawView,
    ContactCorrectView,
    ContactEraseView,
    ContactExportView,
)

router = DefaultRouter()
router.include_root_view = False
router.register("audit", AuditEntryViewSet, basename="audit")
urlpatterns = [
    *router.urls,
    path("contacts/<int:pk>/export/", ContactExportView.as_view(), name="contact-export"),
    path("contacts/<int:pk>/correct/", ContactCorrectView.as_view(), name="contact-correct"),
    path(
        "contacts/<int:pk>/consent-withdrawal/",
        ContactConsentWithdrawView.as_view(),
        name="contact-consent-withdrawal",
    ),
    path("contacts/<int:pk>/erase/", ContactEraseView.as_view(), name="contact-erase"),
]
