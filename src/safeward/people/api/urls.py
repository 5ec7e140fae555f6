from safeward.core.rest.routers import Router
from safeward.people.api import views

router = Router()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
urlpatterns = router.urls
