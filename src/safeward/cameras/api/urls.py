from safeward.cameras.api import views
from safeward.core.rest.routers import Router

router = Router()
router.register("cameras", views.CameraViewSet, basename="camera")
router.register("camera-consents", views.ConsentRecordViewSet, basename="consentrecord")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("contributions", views.ContributionViewSet, basename="contribution")
router.register("expenses", views.ExpenseViewSet, basename="expense")
urlpatterns = router.urls
