"""Role-aware navigation: apps register menu entries; each shows only to users holding its permission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from safeward.core.scoping import has_perm_anywhere


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    permission: str | None = None
    icon: str = "•"
    order: int = 100


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    result = []
    for item in sorted(_items, key=lambda i: i.order):
        if item.permission and not has_perm_anywhere(user, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": current_path.startswith(url) and url != "/",
            }
        )
    return result
