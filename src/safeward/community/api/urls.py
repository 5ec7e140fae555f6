from safeward.community.api import views
from safeward.core.rest.routers import Router

router = Router()
router.register("groups", views.GroupViewSet, basename="group")
router.register("group-memberships", views.MembershipViewSet, basename="membership")
router.register("patrols", views.PatrolViewSet, basename="patrol")
router.register("roster-slots", views.RosterSlotViewSet, basename="rosterslot")
router.register("movement-models", views.MovementModelViewSet, basename="movementmodel")
router.register("model-evaluations", views.ModelEvaluationViewSet, basename="modelevaluation")
router.register(
    "fortress-assessments", views.FortressAssessmentViewSet, basename="fortressassessment"
)
router.register("shield-pledges", views.ShieldPledgeViewSet, basename="shieldpledge")
router.register("fortress-criteria", views.FortressCriterionViewSet, basename="fortresscriterion")
urlpatterns = router.urls
