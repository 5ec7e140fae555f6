"""The demo's last step: rollups rebuilt from everything the other steps recorded."""

from __future__ import annotations

from safeward.analytics.rollups import rebuild_all
from safeward.core.audit import audit_seal
from safeward.demo.registry import DemoContext, register_demo_step


@register_demo_step("analytics", order=900)
def populate(ctx: DemoContext) -> None:
    # Sealed first, so each rebuild's watermark covers what the other steps wrote and the
    # first refresh reads only what came after.
    audit_seal()
    written = rebuild_all()
    ctx.log(f"  analytics: {len(written)} indicators, {sum(written.values())} rollup rows")
