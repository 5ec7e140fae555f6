"""Mapping history onto today's units through ``UnitSuccession`` shares ("as is").

A unit's "as is" figure is its own rows plus, for every unit that passed a
share into it (transitively, shares multiplied along the chain), that share of
the predecessor's rows. "As was" reads the unit's own rows only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from safeward.core.scoping import scope_cache
from safeward.geo.models import UnitSuccession

MAX_REFORMS = 10


class SourceWeights(dict[int, dict[int, float]]):
    """Source units and weights per unit; also remembers the sources' paths once read, so
    the queries of one dashboard sharing these weights look them up once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths: dict[frozenset[int], list[str]] = {}


def source_weights(unit_ids: list[int], *, as_is: bool) -> SourceWeights:
    """For each unit, the units whose rows make it up and the weight of each (itself at 1.0)."""
    weights = SourceWeights({uid: {uid: 1.0} for uid in unit_ids})
    if not as_is:
        return weights
    frontier: dict[int, dict[int, float]] = {uid: {uid: 1.0} for uid in unit_ids}
    generation = scope_cache.generation()
    for _step in range(MAX_REFORMS):
        current = {src for sources in frontier.values() for src in sources}
        links = _predecessors(current, generation)
        if not links:
            break
        frontier = _step_back(frontier, links)
        for target, sources in frontier.items():
            for src, weight in sources.items():
                weights[target][src] = weights[target].get(src, 0.0) + weight
    return weights


def _predecessors(
    unit_ids: set[int], generation: tuple[int, int, str]
) -> dict[int, tuple[tuple[int, float], ...]]:
    """``successor: ((predecessor, share), ...)`` for the units that have predecessors.

    Every dashboard read asks this first, mostly for the same units, and successions
    change only with a unit import: kept per process like the scope data, and dropped
    with it whenever a unit or succession is saved (``core.scoping``).
    """
    key = frozenset(unit_ids)
    kept = scope_cache.get("predecessors", key, generation)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    links: dict[int, list[tuple[int, float]]] = defaultdict(list)
    rows = UnitSuccession.objects.filter(successor_id__in=key).values_list(
        "predecessor_id", "successor_id", "share"
    )
    for pred, succ, share in rows:
        links[succ].append((pred, share))
    found = {succ: tuple(pairs) for succ, pairs in links.items()}
    scope_cache.put("predecessors", key, found, generation)
    return found


def _step_back(
    frontier: dict[int, dict[int, float]], links: dict[int, tuple[tuple[int, float], ...]]
) -> dict[int, dict[int, float]]:
    result: dict[int, dict[int, float]] = {}
    for target, sources in frontier.items():
        nxt: dict[int, float] = defaultdict(float)
        for src, weight in sources.items():
            for pred, share in links.get(src, ()):
                nxt[pred] += weight * share
        if nxt:
            result[target] = dict(nxt)
    return result
