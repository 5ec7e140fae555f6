from safeward.core.rest.routers import Router
from safeward.evidence.api import views

router = Router()
router.register("footage-requests", views.FootageRequestViewSet, basename="footagerequest")
router.register("evidence-items", views.EvidenceItemViewSet, basename="evidenceitem")
urlpatterns = router.urls
