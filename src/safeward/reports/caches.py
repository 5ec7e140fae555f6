"""Per-process read caches for the intake path: the category catalogue and the routing rules.

Both change rarely; each is reloaded after ``CACHE_SECONDS`` and dropped at once when a
row is saved or deleted in this process (other processes catch up within the interval).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from safeward.reports.models import RoutingRule, ServiceCategory

CACHE_SECONDS = 60.0


@dataclass
class Snapshot:
    loaded_at: float = -1e9
    categories: dict[str, ServiceCategory] = field(default_factory=dict)
    rules: dict[str, list[RoutingRule]] = field(default_factory=dict)


_snapshot = Snapshot()


def clear_caches(**_kwargs: Any) -> None:
    _snapshot.loaded_at = -1e9


def _fresh() -> Snapshot:
    if time.monotonic() - _snapshot.loaded_at < CACHE_SECONDS:
        return _snapshot
    categories = ServiceCategory.objects.filter(active=True).select_related("jurisdiction")
    _snapshot.categories = {c.code: c for c in categories.prefetch_related("attributes")}
    rules: dict[str, list[RoutingRule]] = {}
    for rule in RoutingRule.objects.filter(active=True).select_related("unit"):
        rules.setdefault(rule.unit.path, []).append(rule)
    _snapshot.rules = rules
    _snapshot.loaded_at = time.monotonic()
    return _snapshot


def active_category(code: str) -> ServiceCategory | None:
    return _fresh().categories.get(code)


def rules_at(paths: list[str]) -> list[RoutingRule]:
    """Active rules set on any of the unit ``paths``."""
    by_path = _fresh().rules
    return [rule for path in paths for rule in by_path.get(path, [])]
