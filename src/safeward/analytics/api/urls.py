from safeward.analytics.api import views
from safeward.core.rest.routers import Router

router = Router()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
