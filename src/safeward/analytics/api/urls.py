from rest_framework.routers import DefaultRouter

from safeward.analytics.api import views

router = DefaultRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
