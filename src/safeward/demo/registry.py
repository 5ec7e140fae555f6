"""Hooks through which each app adds its demo records, in order, from one seeded context."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    seed: int
    rng: random.Random
    users: dict[str, Any] = field(default_factory=dict)  # persona name -> User
    units: dict[str, Any] = field(default_factory=dict)  # well-known units by name
    log: Callable[[str], None] = print
    data: dict[str, Any] = field(default_factory=dict)  # shared between steps


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoContext], None]
    order: int = 100


_steps: list[DemoStep] = []


def register_demo_step(
    name: str, order: int = 100
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Decorator: ``@register_demo_step("reports", order=200)`` on ``def populate(ctx)``."""

    def decorator(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if all(s.name != name for s in _steps):
            _steps.append(DemoStep(name, func, order))
        return func

    return decorator


def steps() -> list[DemoStep]:
    return sorted(_steps, key=lambda s: s.order)
