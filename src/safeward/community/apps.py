from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "safeward.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from safeward.community.imports import register_kinds

        register_kinds()
        from safeward.accounts.roles import FRONT_MEMBER, GROUP_LEADER, OFFICERS, crud, grant
        from safeward.community.querysets import MANAGE_ALL_GROUPS
        from safeward.web.navigation import NavItem, register
        from safeward.web.public import HomePanel, register_home_panel

        managed = ["group", "membership", "patrol", "rosterslot", "groupstatuschange"]
        others = ["movementmodel", "modelevaluation", "fortressassessment", "fortresscriterion"]
        everything = [
            p for m in [*managed, *others, "shieldpledge"] for p in crud(f"community.{m}")
        ]
        grant([*OFFICERS, FRONT_MEMBER], [*everything, MANAGE_ALL_GROUPS])
        grant(
            [GROUP_LEADER],
            [
                *crud("community.group", ("view", "change")),
                *[p for m in managed[1:] for p in crud(f"community.{m}")],
                *crud("community.shieldpledge", ("view", "add")),
                "community.view_movementmodel",
                "community.view_fortressassessment",
            ],
        )
        register(
            NavItem(
                _("Groups"), "community:groups", "community.view_group", "⚑", 40, group="community"
            ),
            NavItem(
                _("Models"),
                "community:models",
                "community.view_movementmodel",
                "✦",
                41,
                group="community",
            ),
            NavItem(
                _("Drug-free"),
                "community:assessments",
                "community.view_fortressassessment",
                "▣",
                42,
                group="community",
            ),
        )
        register_home_panel(HomePanel("community/_home_panel.html", "community.add_patrol", 40))
