from rest_framework.routers import DefaultRouter

from safeward.people.api import views

router = DefaultRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
urlpatterns = router.urls
