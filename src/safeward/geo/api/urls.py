from rest_framework.routers import DefaultRouter

from safeward.geo.api.views import AdminUnitViewSet, UnitSuccessionViewSet

router = DefaultRouter()
router.register("units", AdminUnitViewSet, basename="unit")
router.register("unit-successions", UnitSuccessionViewSet, basename="unitsuccession")
urlpatterns = router.urls
