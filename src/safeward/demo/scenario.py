"""Running the whole demo: the foundation, then every app's registered step, from one seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from safeward.core.audit import audit_record
from safeward.core.models import AuditEvent
from safeward.demo.foundation import build_foundation
from safeward.demo.registry import DemoContext, steps

STEP_DONE = "demo.step_done"


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
    done = set(
        AuditEvent.objects.filter(action=STEP_DONE, object_type="demo.step").values_list(
            "object_id", flat=True
        )
    )
    for step in steps():
        if step.name in done:
            log(f"{step.name}: already built")
            continue
        log(step.name)
        ctx.rng = random.Random(f"{seed}:{step.name}")
        with transaction.atomic():
            step.run(ctx)
            audit_record(
                None,
                STEP_DONE,
                object_type="demo.step",
                object_id=step.name,
                changes={"seed": seed},
            )
    return ctx
