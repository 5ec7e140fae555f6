from safeward.core.rest.routers import Router
from safeward.reports.api.views import ReportViewSet, RoutingRuleViewSet

router = Router()
router.register("reports", ReportViewSet, basename="report")
router.register("report-routing-rules", RoutingRuleViewSet, basename="routingrule")
urlpatterns = router.urls
