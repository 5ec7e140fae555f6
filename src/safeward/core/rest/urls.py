from safeward.core.rest.routers import Router
from safeward.core.rest.views import AuditEventViewSet

router = Router()
router.register("audit-events", AuditEventViewSet, basename="auditevent")
urlpatterns = router.urls
