from safeward.core.rest.routers import Router
from safeward.geo.api.views import AdminUnitViewSet, UnitSuccessionViewSet

router = Router()
router.register("units", AdminUnitViewSet, basename="unit")
router.register("unit-successions", UnitSuccessionViewSet, basename="unitsuccession")
urlpatterns = router.urls
