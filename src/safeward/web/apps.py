from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "safeward.web"
    label = "web"

    def ready(self) -> None:
        from safeward.web.navigation import NavItem, register

        register(
            NavItem(_("Home"), "web:home", None, "⌂", 0),
            NavItem(_("Units"), "web:units", "geo.view_adminunit", "▦", 10),
            NavItem(_("Audit log"), "web:audit", "core.view_auditevent", "⚖", 900),
        )
