from safeward.core.rest.routers import Router

from safeward.accounts.api.views import RoleAssignmentViewSet, UserViewSet

router = Router()
router.register("users", UserViewSet, basename="user")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
urlpatterns = router.urls
