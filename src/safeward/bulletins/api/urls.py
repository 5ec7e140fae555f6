from safeward.bulletins.api import views
from safeward.core.rest.routers import Router

router = Router()
router.register("bulletins", views.BulletinViewSet, basename="bulletin")
router.register("cohorts", views.CohortViewSet, basename="cohort")
router.register("bulletin-subscriptions", views.SubscriptionViewSet, basename="subscription")
router.register("webhook-endpoints", views.WebhookEndpointViewSet, basename="webhookendpoint")
router.register("contact-points", views.ContactPointViewSet, basename="contactpoint")
urlpatterns = router.urls
