from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safeward.evidence.models import FootageRequest

pytestmark = pytest.mark.django_db


def test_request_flow_pages(
    client_for: Any, personas: dict[str, Any], report: Any, camera: Any, client: Any
) -> None:
    officer = client_for("ward_officer")
    page = officer.get(reverse("evidence:request_add", args=[report.pk]))
    assert page.status_code == 200 and camera.custodian_label in page.content.decode()
    response = officer.post(
        reverse("evidence:request_add", args=[report.pk]),
        {
            "purpose": "Xác minh",
            "window_start": page.context["form"].initial["window_start"].strftime("%Y-%m-%d %H:%M"),
            "window_end": page.context["form"].initial["window_end"].strftime("%Y-%m-%d %H:%M"),
            "radius_m": 200,
            "cameras": [camera.pk],
        },
    )
    footage = FootageRequest.objects.get()
    assert response.status_code == 302
    front = client_for("front_member")
    front.post(reverse("evidence:request_decide", args=[footage.pk, "approve"]), {"note": ""})
    # The approver neither sees nor may show the custodian's link; the requesting officer may.
    detail = front.get(reverse("evidence:request", args=[footage.pk])).content.decode()
    assert "/evidence/upload/" not in detail and 'data-state="queued"' in detail
    target = footage.targets.get()
    assert front.get(reverse("evidence:target_link", args=[target.pk])).status_code == 404
    link = officer.get(reverse("evidence:target_link", args=[target.pk])).content.decode()
    assert "/evidence/upload/" in link
    assert officer.get(reverse("evidence:requests")).status_code == 200
    assert client.get(reverse("evidence:stats")).status_code == 200
    assert client.get(reverse("evidence:upload", args=["nope"])).status_code == 404


def test_custodian_sees_requests_to_their_camera(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    page = client_for("resident").get(reverse("evidence:custodian"))
    assert page.status_code == 200
    assert footage_request.purpose in page.content.decode()
    other = client_for("other_ward_officer").get(reverse("evidence:custodian"))
    assert footage_request.purpose not in other.content.decode()
