from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "safeward.reports"
    label = "reports"
    verbose_name = _("Citizen reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from safeward.accounts.roles import (
            CITY_OFFICER,
            FRONT_MEMBER,
            GROUP_LEADER,
            OFFICERS,
            PROVINCE_ADMIN,
            WARD_POLICE,
            crud,
            grant,
        )
        from safeward.core.backup import recorded_files_check, register_file_check
        from safeward.geo.models import AdminUnit
        from safeward.reports.caches import clear_caches
        from safeward.reports.models import (
            CategoryAttribute,
            ReportAttachment,
            RoutingRule,
            ServiceCategory,
        )
        from safeward.reports.placing import clear_index
        from safeward.web.navigation import NavItem, register
        from safeward.web.public import PublicLink, register_public

        register_file_check(
            "report attachments", recorded_files_check(ReportAttachment, "attachment")
        )
        grant(OFFICERS, crud("reports.report"))
        grant(OFFICERS, ["reports.view_reporter", *crud("reports.routingrule")])
        grant(OFFICERS, crud("reports.reportmessage", ("view", "add")))
        grant(OFFICERS, ["reports.view_reportattachment"])
        grant([PROVINCE_ADMIN, CITY_OFFICER, WARD_POLICE], ["reports.view_reportevent"])
        grant([FRONT_MEMBER, GROUP_LEADER], ["reports.view_report", "reports.add_report"])
        grant([PROVINCE_ADMIN], crud("reports.open311client"))
        grant([PROVINCE_ADMIN], crud("reports.servicecategory", ("view", "change")))
        post_save.connect(clear_index, sender=AdminUnit, dispatch_uid="reports-placing-index")
        for model in (ServiceCategory, CategoryAttribute, RoutingRule):
            for signal in (post_save, post_delete):
                signal.connect(
                    clear_caches, sender=model, dispatch_uid=f"reports-cache-{model.__name__}"
                )
        register(
            NavItem(_("Reports"), "reports:list", "reports.view_report", "⚑", 20, group="reports")
        )
        register(
            NavItem(
                _("Report categories"),
                "reports:catalogue",
                "reports.change_servicecategory",
                "☰",
                910,
                group="admin",
            )
        )
        register_public(
            PublicLink(_("Report an incident"), "reports:submit", 10),
            PublicLink(_("Follow your report"), "reports:track", 11),
            PublicLink(_("Report statistics"), "reports:stats", 12),
        )
        from safeward.core.periodic import register_periodic
        from safeward.reports.tasks import notify_due_soon

        register_periodic("reports: due-soon reminders", notify_due_soon, 24 * 3600)
