from django.urls import path
from rest_framework.routers import DefaultRouter

from .marks import CasePaymentsView, MarkApplicationView, OrganisationViewSet, PaymentListView
from .views import CaseViewSet, FacilityViewSet, ServiceViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("services", ServiceViewSet, basename="service")
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = [
    path("cases/<int:pk>/mark/", MarkApplicationView.as_view(), name="case-mark"),
    path("cases/<int:pk>/payments/", CasePaymentsView.as_view(), name="case-payments"),
    path("payments/", PaymentListView.as_view(), name="payment-list"),
    *router.urls,
]
