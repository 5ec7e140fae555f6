from safeward.core.rest.routers import Router
from safeward.outreach.api import views

router = Router()
router.register("outreach-sessions", views.SessionViewSet, basename="outreachsession")
router.register("social-posts", views.SocialPostViewSet, basename="socialpost")
router.register("courses", views.CourseViewSet, basename="course")
router.register("course-participants", views.ParticipantViewSet, basename="participant")
router.register("session-materials", views.SessionMaterialViewSet, basename="sessionmaterial")
urlpatterns = router.urls
