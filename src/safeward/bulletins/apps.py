from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "safeward.bulletins"
    label = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self) -> None:
        from safeward.accounts.roles import (
            CITY_OFFICER,
            FRONT_MEMBER,
            OFFICERS,
            PROVINCE_ADMIN,
            WARD_POLICE,
            crud,
            grant,
        )
        from safeward.bulletins.tasks import send_due_deliveries
        from safeward.core.periodic import register_periodic

        writing = [
            *crud("bulletins.bulletin"),
            "bulletins.approve_bulletin",
            "bulletins.view_delivery",
            *crud("bulletins.webhookendpoint"),
            *crud("bulletins.subscription"),
        ]
        grant([WARD_POLICE, CITY_OFFICER], writing)
        # Restricted cohorts: the ward police who keep them, and nobody else.
        grant(
            [WARD_POLICE],
            [
                "bulletins.view_restricted_cohort",
                *crud("bulletins.cohort"),
                *crud("bulletins.cohortmember"),
            ],
        )
        grant([PROVINCE_ADMIN, FRONT_MEMBER], ["bulletins.view_bulletin"])
        grant([*OFFICERS, FRONT_MEMBER], crud("people.contactpoint"))
        from safeward.web.navigation import NavItem, register
        from safeward.web.public import PublicLink, register_public

        register_public(PublicLink(_("Bulletin statistics"), "bulletins:stats", 14))

        register(
            NavItem(
                _("Bulletins"),
                "bulletins:list",
                "bulletins.view_bulletin",
                "📣",
                58,
                group="outreach",
            )
        )
        register_periodic("bulletins: send due deliveries", send_due_deliveries, 30)
