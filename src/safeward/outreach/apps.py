from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "safeward.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from safeward.accounts.roles import FRONT_MEMBER, GROUP_LEADER, OFFICERS, crud, grant
        from safeward.core.backup import referenced_files_check, register_file_check
        from safeward.outreach.imports import register_kinds
        from safeward.outreach.models import SessionMaterial
        from safeward.web.navigation import NavItem, register
        from safeward.web.public import PublicLink, register_public

        models = ["session", "sessionmaterial", "socialpost", "course", "participant"]
        grant([*OFFICERS, FRONT_MEMBER], [p for m in models for p in crud(f"outreach.{m}")])
        grant([GROUP_LEADER], ["outreach.view_session", "outreach.view_course"])
        register(
            NavItem(
                _("Sessions"),
                "outreach:sessions",
                "outreach.view_session",
                "✎",
                50,
                group="outreach",
            ),
            NavItem(
                _("Courses"), "outreach:courses", "outreach.view_course", "✪", 51, group="outreach"
            ),
        )
        register_kinds()
        register_public(PublicLink(_("Upcoming sessions"), "outreach:calendar", 60))
        register_file_check(
            "session materials", referenced_files_check(SessionMaterial, "material")
        )
