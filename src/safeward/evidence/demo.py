"""Demo footage requests in Cẩm Thịnh: sent, approved, answered (some declined), so the
public statistics page has figures."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from django.utils import timezone

from safeward.cameras.querysets import all_cameras
from safeward.cameras.services import camera_candidates_for_point
from safeward.demo.registry import DemoContext, register_demo_step
from safeward.evidence import services
from safeward.evidence.models import FootageRequest
from safeward.evidence.services import items
from safeward.reports.services import category_by_code, report_submit

if TYPE_CHECKING:
    from safeward.cameras.models import Camera

AWAITING = "Mất trộm xe máy trước cửa hàng, chờ trích xuất camera"
ANSWERS = ["provided", "declined", "nothing", "provided", "overwritten", "provided"]


@register_demo_step("evidence", order=310)
def populate(ctx: DemoContext) -> None:
    officer, front = ctx.users["ward_officer"], ctx.users["front_member"]
    cameras = all_cameras().requestable().filter(pk__in=ctx.data.get("cameras_cam_thinh", []))
    made = 0
    for number, camera in enumerate(cameras.order_by("pk")[: len(ANSWERS)]):
        when = timezone.now() - dt.timedelta(hours=6 + number * 20)
        found = camera_candidates_for_point(camera.latitude, camera.longitude, when)
        if not found:
            continue
        report = report_submit(
            None,
            category=category_by_code("theft"),
            description="Mất trộm xe đạp điện trước cửa nhà",
            channel="web",
            latitude=camera.latitude,
            longitude=camera.longitude,
            occurred_at=when,
        ).report
        start = when - dt.timedelta(minutes=30)
        request = services.footage_request_create(
            officer,
            report=report,
            purpose="Xác minh tin báo mất trộm",
            window_start=start,
            window_end=start + dt.timedelta(hours=1),
            radius_m=200,
            cameras=[c.camera for c in found[:3]],
        )
        services.footage_request_approve(front, request)
        _answer(request, ANSWERS[number], start)
        made += 1
    _awaiting_report(cameras.order_by("-pk").first())
    ctx.log(f"  footage requests: {made}")


def _awaiting_report(camera: Camera | None) -> None:
    """A fresh report beside a consenting camera, for an officer to ask cameras about."""
    if camera is None:
        return
    report_submit(
        None,
        category=category_by_code("theft"),
        description=AWAITING,
        channel="web",
        latitude=camera.latitude,
        longitude=camera.longitude,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
    )


def _answer(request: FootageRequest, answer: str, start: dt.datetime) -> None:
    for target in request.targets.filter(response="waiting"):
        if answer != "provided":
            services.target_respond(None, target, response=answer)
            continue
        items.evidence_receive(
            None,
            upload=io.BytesIO(b"\x00\x00\x00\x18ftypmp42demo-clip" * 64),
            filename=f"camera-{target.camera_id}.mp4",
            content_type="video/mp4",
            # The recorder shows its own (offset) clock; the clip lies inside the window.
            recorded_start=start + dt.timedelta(seconds=target.camera.clock_offset_s),
            recorded_end=start + dt.timedelta(minutes=10, seconds=target.camera.clock_offset_s),
            acquisition="custodian_upload",
            target=target,
        )
