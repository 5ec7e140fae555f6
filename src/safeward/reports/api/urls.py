from rest_framework.routers import DefaultRouter

from safeward.reports.api.views import ReportViewSet, RoutingRuleViewSet

router = DefaultRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("report-routing-rules", RoutingRuleViewSet, basename="routingrule")
urlpatterns = router.urls
