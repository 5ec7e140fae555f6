from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "safeward.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from safeward.accounts.roles import ANALYST, STAFF, grant
        from safeward.analytics import registry
        from safeward.core.sqlite.schema import without_rowid
        from safeward.web.navigation import NavItem, register
        from safeward.web.public import HomePanel, register_home_panel

        # Millions of derived rows, always read and written by their cell (the primary key).
        without_rowid("analytics.RollupValue")
        grant(STAFF, ["analytics.view_dashboard"])
        grant(
            [*STAFF, ANALYST],
            ["analytics.view_periodicreport", "analytics.add_periodicreport"],
        )
        register(
            NavItem(_("Dashboard"), "analytics:dashboard", "analytics.view_dashboard", "▤", 20)
        )
        register_home_panel(HomePanel("analytics/_home_panel.html", "analytics.view_dashboard", 10))
        registry.autodiscover()
        from safeward.analytics.tasks import refresh_rollups
        from safeward.core.periodic import register_periodic

        register_periodic("analytics: refresh rollups", refresh_rollups, 60)
        from safeward.analytics.models import PeriodicReport
        from safeward.core.backup import referenced_files_check, register_file_check

        register_file_check("periodic reports", referenced_files_check(PeriodicReport, "report"))
