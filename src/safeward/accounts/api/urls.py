from safeward.accounts.api.views import RoleAssignmentViewSet, UserViewSet
from safeward.core.rest.routers import Router

router = Router()
router.register("users", UserViewSet, basename="user")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
urlpatterns = router.urls
