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
        _register_work_sections()
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


def _register_work_sections() -> None:
    """What waits on the home page: reports to triage, to handle, to decide, to answer."""
    from typing import Any

    from safeward.reports.models import Report, ReportMessage
    from safeward.web.workqueue import WorkSection, register_work_section

    shown = ("category", "unit")
    row = "reports/_work_row.html"

    def handled(user: Any) -> Any:
        return Report.objects.restrict(user, "change").select_related(*shown)

    register_work_section(
        WorkSection(
            "reports_new",
            _("New reports in your units"),
            "reports.view_report",
            lambda user: (
                Report.objects.restrict(user, "view")
                .untriaged()
                .select_related(*shown)
                .order_by("-priority", "received_at", "id")
            ),
            "reports:list",
            "status=received",
            row,
            _("No new report waits for triage."),
            nav="reports:list",
            order=10,
        ),
        WorkSection(
            "reports_mine",
            _("Assigned to you"),
            "reports.change_report",
            lambda user: handled(user).open().assigned_to(user).order_by("due_on", "id"),
            "reports:list",
            "assignee=me&open=1",
            row,
            _("No open report is assigned to you."),
            nav="reports:list",
            order=20,
        ),
        WorkSection(
            "reports_overdue",
            _("Overdue"),
            "reports.change_report",
            lambda user: handled(user).overdue().order_by("due_on", "id"),
            "reports:list",
            "overdue=1",
            row,
            _("No report has passed its deadline."),
            order=30,
        ),
        WorkSection(
            "reports_due_soon",
            _("Due soon"),
            "reports.change_report",
            lambda user: handled(user).due_soon().order_by("due_on", "id"),
            "reports:list",
            "due_soon=1",
            row,
            _("No deadline falls in the next few days."),
            order=40,
        ),
        WorkSection(
            "reports_reply",
            _("Messages awaiting a reply"),
            "reports.add_reportmessage",
            lambda user: (
                Report.objects.restrict(user, "view")
                .restrict(user, "add", of=ReportMessage)
                .awaiting_reply()
                .select_related(*shown)
                .order_by("last_message_at", "id")
            ),
            "reports:list",
            "awaiting_reply=1",
            "reports/_work_message_row.html",
            _("Every reporter's message has an answer."),
            nav="reports:list",
            order=50,
        ),
    )
