"""The demo's last step: rollups rebuilt from everything the other steps recorded."""

from __future__ import annotations

from safeward.analytics.rollups import rebuild_all
from safeward.demo.registry import DemoContext, register_demo_step


@register_demo_step("analytics", order=900)
def populate(ctx: DemoContext) -> None:
    written = rebuild_all()
    ctx.log(f"  analytics: {len(written)} indicators, {sum(written.values())} rollup rows")
