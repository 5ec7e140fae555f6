"""What a staff member writes on a report reaches the reporter only when it is public."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from safeward.reports import services

REASON = "Đối tượng tái phạm, cần xác minh lại với công an xã"
MESSAGE = "Chúng tôi đã cử cán bộ đến kiểm tra"


def _reopened(submit: Any, personas: dict[str, Any]) -> Any:
    submission = submit()
    officer = personas["ward_officer"]
    report = submission.report
    services.report_resolve(officer, report, outcome="warning", public_note="Đã xử lý")
    services.report_reopen(officer, report, reason=REASON)
    return submission


def _tracking_page(client: Client, submission: Any) -> str:
    code = submission.report.tracking_code
    page = client.post("/reports/track/", {"code": code, "secret": submission.secret}, follow=True)
    return str(page.content.decode())


def test_reopen_reason_stays_off_the_tracking_page(
    client: Client, submit: Any, personas: dict[str, Any]
) -> None:
    submission = _reopened(submit, personas)
    html = _tracking_page(client, submission)
    assert "Đã xử lý" in html
    assert REASON not in html


def test_reopen_reason_stays_out_of_open311(
    client: Client, submit: Any, personas: dict[str, Any]
) -> None:
    submission = _reopened(submit, personas)
    code = submission.report.tracking_code
    for path in (f"requests/{code}.json", f"requests/{code}.xml", "servicerequestupdates.json"):
        response = client.get(f"/open311/v2/{path}")
        assert response.status_code == 200, response
        assert REASON not in response.content.decode()


def test_reopen_reason_is_kept_for_staff(
    client_for: Any, submit: Any, personas: dict[str, Any]
) -> None:
    report = _reopened(submit, personas).report
    html = client_for("ward_officer").get(reverse("reports:detail", args=[report.pk])).content
    assert REASON in html.decode()


def test_a_message_to_the_reporter_shows_on_the_tracking_page(
    client: Client, submit: Any, personas: dict[str, Any]
) -> None:
    submission = submit()
    services.report_message_staff(personas["ward_officer"], submission.report, body=MESSAGE)
    assert MESSAGE in _tracking_page(client, submission)


def test_the_reason_form_says_it_is_internal(
    client_for: Any, submit: Any, personas: dict[str, Any]
) -> None:
    report = submit().report
    services.report_resolve(personas["ward_officer"], report, outcome="warning")
    page = client_for("ward_officer").get(reverse("reports:detail", args=[report.pk]))
    html = page.content.decode()
    assert "Internal: never shown to the reporter" in html or "không bao giờ" in html
