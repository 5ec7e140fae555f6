from safeward.core.rest.routers import Router

from safeward.analytics.api import views

router = Router()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
