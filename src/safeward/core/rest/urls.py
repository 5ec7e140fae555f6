from rest_framework.routers import DefaultRouter

from safeward.core.rest.views import AuditEventViewSet

router = DefaultRouter()
router.register("audit-events", AuditEventViewSet, basename="auditevent")
urlpatterns = router.urls
