from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "safeward.cameras"
    label = "cameras"
    verbose_name = _("Cameras")

    def ready(self) -> None:
        from safeward.cameras.importing import register_kinds

        register_kinds()
        from safeward.accounts.roles import (
            ANALYST,
            FRONT_MEMBER,
            GROUP_LEADER,
            OFFICERS,
            crud,
            grant,
        )
        from safeward.cameras.contacts import CAMPAIGN_ORGANISER, CUSTODIAN_CONTACT
        from safeward.web.navigation import NavItem, register

        models = ["camera", "consentrecord", "campaign", "contribution", "expense"]
        everything = [p for m in models for p in crud(f"cameras.{m}")]
        grant(OFFICERS, everything)
        # Who keeps a camera and their phone: only the police who ask them for footage;
        # every look is audited (safeward.cameras.contacts).
        grant(OFFICERS, [CUSTODIAN_CONTACT])
        # Who runs a campaign: those who run campaigns, not those who read its figures.
        grant([*OFFICERS, FRONT_MEMBER], [CAMPAIGN_ORGANISER])
        grant(
            [FRONT_MEMBER],
            [
                *crud("cameras.camera", ("view",)),
                *[p for m in ("campaign", "contribution", "expense") for p in crud(f"cameras.{m}")],
            ],
        )
        grant([GROUP_LEADER, ANALYST], ["cameras.view_camera", "cameras.view_campaign"])
        register(
            NavItem(_("Cameras"), "cameras:list", "cameras.view_camera", "◉", 50, group="cameras"),
            NavItem(
                _("Campaigns"),
                "cameras:campaigns",
                "cameras.view_campaign",
                "₫",
                51,
                group="cameras",
            ),
        )
