from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WebConfig(AppConfig):
    name = "safeward.web"
    label = "web"

    def ready(self) -> None:
        from safeward.web.navigation import NavItem, register

        register(
            NavItem(_("Home"), "web:home", None, "⌂", 0),
            NavItem(_("Units"), "web:units", "geo.view_adminunit", "▦", 10, group="admin"),
            # The people register is part of the foundation, which knows no web shell.
            NavItem(
                pgettext_lazy("household", "Households"),
                "people:households",
                "people.view_household",
                "◫",
                45,
                group="community",
            ),
            NavItem(_("Audit log"), "web:audit", "core.view_auditevent", "⚖", 900, group="admin"),
        )
