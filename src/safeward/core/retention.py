"""Retention: each app registers what it deletes once its keeping period is over.

``safeward purge`` (and ``safeward serve`` hourly) runs every registered purger;
each returns how many records it removed and writes its own audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Purger:
    name: str
    run: Callable[[], int]


_purgers: list[Purger] = []


def register_purger(name: str, run: Callable[[], int]) -> None:
    if all(p.name != name for p in _purgers):
        _purgers.append(Purger(name, run))


def purge_all() -> dict[str, int]:
    return {p.name: p.run() for p in _purgers}
