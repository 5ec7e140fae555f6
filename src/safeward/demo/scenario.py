"""Running the whole demo: the foundation, then every app's registered step, from one seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from safeward.demo.foundation import build_foundation
from safeward.demo.registry import DemoContext, steps


def discover_steps() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("safeward.") and find_spec(f"{config.name}.demo"):
            import_module(f"{config.name}.demo")


def run_demo(
    seed: int = 2024, log: Callable[[str], None] = print, only_foundation: bool = False
) -> DemoContext:
    ctx = DemoContext(seed=seed, rng=random.Random(seed), log=log)
    log("foundation")
    build_foundation(ctx)
    if only_foundation:
        return ctx
    discover_steps()
    for step in steps():
        log(step.name)
        ctx.rng = random.Random(f"{seed}:{step.name}")
        step.run(ctx)
    return ctx
