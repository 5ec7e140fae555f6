from rest_framework.routers import DefaultRouter

from safeward.evidence.api import views

router = DefaultRouter()
router.register("footage-requests", views.FootageRequestViewSet, basename="footagerequest")
router.register("evidence-items", views.EvidenceItemViewSet, basename="evidenceitem")
urlpatterns = router.urls
