"""Role-aware navigation: apps register menu entries; each shows only to users holding its permission.

Entries name a ``group`` (``GROUPS``, the shell's sections, in menu order); a group the
user sees one entry of shows as that entry's plain link, a group of several as a menu
(a dropdown on desk screens, a section of the drawer on phones). An entry may carry a
``count`` of what waits for the user there (see :mod:`safeward.web.workqueue`); a group
carries the sum of its entries'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeward.core.scoping import has_perm_anywhere


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    permission: str | None = None
    icon: str = "•"
    order: int = 100
    group: str = ""


# The menu's sections, in order; an entry with no group stands alone, by its own order.
GROUPS: dict[str, tuple[Promise, int]] = {
    "reports": (_("Reports and evidence"), 20),
    "community": (_("Community"), 40),
    "outreach": (_("Outreach"), 50),
    "cameras": (_("Cameras"), 55),
    "admin": (_("Administration"), 900),
}


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)


def items_for(
    user: Any, current_path: str, counts: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """The user's menu: single entries and groups (``links``), in menu order; ``counts``
    gives the number waiting per entry (by url name)."""
    counts = counts or {}
    entries: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(_items, key=lambda i: i.order):
        if item.permission and not has_perm_anywhere(user, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        link = {
            "label": item.label,
            "url": url,
            "icon": item.icon,
            "active": current_path.startswith(url) and url != "/",
            "count": counts.get(item.url_name, 0),
        }
        if item.group not in GROUPS:
            entries.append({**link, "order": item.order})
            continue
        if item.group not in groups:
            label, order = GROUPS[item.group]
            groups[item.group] = {"key": item.group, "label": label, "order": order, "links": []}
            entries.append(groups[item.group])
        groups[item.group]["links"].append(link)
    for group in groups.values():
        group["active"] = any(link["active"] for link in group["links"])
        group["count"] = sum(link["count"] for link in group["links"])
        if len(group["links"]) == 1:  # a section of one is just its link
            group.update(group.pop("links")[0])
    return sorted(entries, key=lambda entry: entry["order"])


def menu_path(key: str) -> list[Promise]:
    """The labels a user follows in the menu to reach ``key`` (an entry's url name or a
    group's key): the group's label, then the entry's. Raises ``KeyError`` for a name the
    menu does not have, so text quoting the menu cannot point at what is not there."""
    if key in GROUPS:
        return [GROUPS[key][0]]
    for item in _items:
        if item.url_name == key:
            return [GROUPS[item.group][0], item.label] if item.group in GROUPS else [item.label]
    raise KeyError(key)
