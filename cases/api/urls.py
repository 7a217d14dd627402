from rest_framework.routers import DefaultRouter

from .views import CaseViewSet, FacilityViewSet, ServiceViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("services", ServiceViewSet, basename="service")
urlpatterns = router.urls
