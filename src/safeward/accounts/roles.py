"""Built-in roles and the permissions each app grants them.

Apps add their permissions from ``AppConfig.ready`` with :func:`grant`; the
``Role`` rows are brought in line by :func:`sync_builtin_roles` after every
migrate and by the demo.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: Promise
    is_staff: bool
    level: str  # the unit level this role is normally assigned at


PROVINCE_ADMIN = "province_admin"
CITY_OFFICER = "city_officer"
WARD_POLICE = "ward_police"
FRONT_MEMBER = "front_member"
GROUP_LEADER = "group_leader"
MENTOR = "mentor"
ANALYST = "analyst"
RESIDENT = "resident"

BUILTIN_ROLES = [
    BuiltinRole(PROVINCE_ADMIN, _("Province administrator"), True, "province"),
    BuiltinRole(CITY_OFFICER, _("District/city police officer"), True, "ward"),
    BuiltinRole(WARD_POLICE, _("Ward police officer"), True, "ward"),
    BuiltinRole(FRONT_MEMBER, _("Fatherland Front committee member"), True, "ward"),
    BuiltinRole(GROUP_LEADER, _("Self-managed group leader"), True, "neighbourhood"),
    BuiltinRole(MENTOR, _("Mentor"), True, "ward"),
    BuiltinRole(ANALYST, _("Analyst / leadership"), True, "province"),
    BuiltinRole(RESIDENT, _("Resident"), False, "ward"),
]
STAFF = [r.code for r in BUILTIN_ROLES if r.is_staff]
OFFICERS = [PROVINCE_ADMIN, CITY_OFFICER, WARD_POLICE]

_grants: dict[str, set[str]] = defaultdict(set)


def grant(roles: list[str], perms: list[str]) -> None:
    """Give every role in ``roles`` the permissions ``perms`` (``app.action_model``)."""
    for role in roles:
        _grants[role].update(perms)


def permissions_of(role_code: str) -> list[str]:
    return sorted(_grants.get(role_code, set()))


def crud(
    app_model: str, actions: tuple[str, ...] = ("view", "add", "change", "delete")
) -> list[str]:
    app, model = app_model.split(".")
    return [f"{app}.{action}_{model}" for action in actions]


# The foundation's own grants.
ALL = [r.code for r in BUILTIN_ROLES]
grant(ALL, ["geo.view_adminunit", "geo.view_unitsuccession"])
grant([PROVINCE_ADMIN], [*crud("geo.adminunit"), *crud("geo.unitsuccession")])
grant([CITY_OFFICER, WARD_POLICE], crud("geo.adminunit", ("add", "change")))
grant(OFFICERS, ["core.view_auditevent", "accounts.view_user", "accounts.view_roleassignment"])
grant([PROVINCE_ADMIN, CITY_OFFICER], crud("accounts.roleassignment", ("add", "change", "delete")))
