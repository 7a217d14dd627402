from django.urls import path
from rest_framework.routers import DefaultRouter

from . import stats
from .views import CaseViewSet, FacilityViewSet, ServiceViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("services", ServiceViewSet, basename="service")
urlpatterns = router.urls

urlpatterns += [
    path("stats/cases/", stats.CaseStatsView.as_view(), name="stats-cases"),
    path("stats/cases/weekly/", stats.CaseFlowView.as_view(), name="stats-cases-weekly"),
    path("stats/cases/steps/", stats.StepTimesView.as_view(), name="stats-cases-steps"),
    path("stats/cases/breaches/", stats.BreachesView.as_view(), name="stats-cases-breaches"),
    path("stats/cases/queue/", stats.QueueView.as_view(), name="stats-cases-queue"),
    path("stats/facilities/", stats.OccupancyView.as_view(), name="stats-facilities"),
    path("stats/callcentre/volume/", stats.CallVolumeView.as_view(), name="stats-cc-volume"),
    path("stats/callcentre/response/", stats.ResponseTimesView.as_view(), name="stats-cc-response"),
    path("stats/callcentre/resolved/", stats.ResolvedView.as_view(), name="stats-cc-resolved"),
]
