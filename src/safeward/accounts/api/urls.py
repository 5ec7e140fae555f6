from rest_framework.routers import DefaultRouter

from safeward.accounts.api.views import RoleAssignmentViewSet, UserViewSet

router = DefaultRouter()
router.register("users", UserViewSet, basename="user")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
urlpatterns = router.urls
