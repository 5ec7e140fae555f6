"""The administrative unit tree, as the parts of core that scope by unit see it.

Core scopes every query by unit paths but does not own the units: ``geo`` does,
and ``core`` imports nothing from it (see ``docs/development/architecture-map.md``).
``geo`` hands its tree to :func:`register_unit_tree` when the app starts
(``GeoConfig.ready``); scoping, list-page filters and the permission suite then ask
:func:`unit_tree` for what they need: a unit's predecessor paths (so a ward
formed in July 2025 sees what was recorded under the wards it was formed from),
the units a user may filter by, and the succession links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


class Unit(Protocol):
    """What core reads of a unit: its key and its materialised path."""

    @property
    def pk(self) -> Any: ...

    @property
    def path(self) -> str: ...


class UnitTree(Protocol):
    """The queries over the unit tree that core needs, provided by the app owning the units."""

    @property
    def model(self) -> type[models.Model]:
        """The unit model (foreign keys name it by label: ``"geo.AdminUnit"``)."""
        ...

    def predecessor_paths(self, unit: Unit) -> list[str]:
        """Paths of every unit that passed any share into ``unit``, transitively."""
        ...

    def visible_units(self, user: Viewer, *, levels: Sequence[str]) -> models.QuerySet[Any]:
        """Today's units of ``levels`` the user may view, in tree order."""
        ...

    def succession_links(self) -> Iterable[tuple[int, int]]:
        """Every ``(predecessor id, successor id)`` pair."""
        ...


_registered: list[UnitTree] = []


def register_unit_tree(tree: UnitTree) -> None:
    """Make ``tree`` the unit tree core reads (called once, when the owning app starts)."""
    _registered[:] = [tree]


def unit_tree() -> UnitTree:
    if not _registered:
        raise RuntimeError("No unit tree registered: is safeward.geo in INSTALLED_APPS?")
    return _registered[0]


__all__ = ["Unit", "UnitTree", "register_unit_tree", "unit_tree"]
