"""Resident pages (plain HTML forms, no JavaScript) and staff pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from safeward.analytics.freshness import rollups_catch_up
from safeward.core.models import AuditEvent
from safeward.reports.models import Report, ReportAttachment, ReportMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    cache.clear()


def form_data(demo_units: dict[str, Any], **extra: Any) -> dict[str, Any]:
    unit = demo_units["cam_thinh_khu1_2025"]
    return {
        "category": "theft",
        "description": "Có người lạ bẻ khóa xe",
        "latitude": unit.centroid_lat,
        "longitude": unit.centroid_lon,
        "anonymous": "on",
        **extra,
    }


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_resident_submits_without_javascript_and_sees_code_and_secret(
    client: Client, demo_units: dict[str, Any]
) -> None:
    response = client.post("/reports/submit/", form_data(demo_units), follow=True)
    assert response.status_code == 200
    code, secret = response.context["code"], response.context["secret"]
    assert Report.objects.get(tracking_code=code).check_secret(secret)


def test_ward_can_replace_the_point(client: Client, demo_units: dict[str, Any]) -> None:
    data = form_data(demo_units, latitude="", longitude="", unit=demo_units["cua_ong"].pk)
    client.post("/reports/submit/", data)
    assert Report.objects.filter(channel="web", unit=demo_units["cua_ong"]).exists()


def test_form_shows_precise_error_and_stores_nothing(
    client: Client, demo_units: dict[str, Any]
) -> None:
    before = Report.objects.count()
    response = client.post("/reports/submit/", form_data(demo_units, category="drugs"))
    assert response.status_code == 400
    assert response.context["form"].errors["attr_activity"]
    assert Report.objects.count() == before


def test_photo_is_stored_without_exif(client: Client, demo_units: dict[str, Any]) -> None:
    photo = SimpleUploadedFile("cam.jpg", jpeg_with_exif(), content_type="image/jpeg")
    client.post("/reports/submit/", {**form_data(demo_units), "attachments": [photo]})
    attachment = ReportAttachment.objects.latest("id")
    with Image.open(attachment.file) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


def test_file_named_like_a_photo_but_not_one_is_refused(
    client: Client, demo_units: dict[str, Any]
) -> None:
    fake = SimpleUploadedFile(
        "evil.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg"
    )
    response = client.post("/reports/submit/", {**form_data(demo_units), "attachments": [fake]})
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors


def test_public_intake_is_rate_limited_with_retry_time(
    client: Client, demo_units: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEWARD_REPORTS_RATE_PER_IP", "2/hour")
    for _i in range(2):
        assert client.post("/reports/submit/", form_data(demo_units)).status_code == 302
    response = client.post("/reports/submit/", form_data(demo_units))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_tracking_with_secret_shows_messages_and_accepts_a_reply(
    client: Client, submit: Any, personas: dict[str, Any]
) -> None:
    from safeward.reports.services import report_message_staff

    submission = submit()
    report_message_staff(personas["ward_officer"], submission.report, body="Xin thêm chi tiết")
    code = submission.report.tracking_code
    page = client.post("/reports/track/", {"code": code, "secret": submission.secret}, follow=True)
    assert "Xin thêm chi tiết" in page.content.decode()
    client.post(f"/reports/track/{code}/reply/", {"body": "Xe màu đỏ"})
    assert ReportMessage.objects.filter(report=submission.report, sender="reporter").exists()


@pytest.mark.parametrize(
    "typed",
    [
        lambda code, secret: (code.lower(), secret.lower()),
        lambda code, secret: (code.replace("-", ""), secret.replace("-", "")),
        lambda code, secret: (" " + code[3:].replace("-", " ") + " ", secret.replace("-", " ")),
    ],
)
def test_tracking_takes_the_code_and_secret_in_any_case_with_or_without_dashes(
    client: Client, submit: Any, personas: dict[str, Any], typed: Any
) -> None:
    from safeward.reports.services import report_message_staff

    submission = submit()
    report_message_staff(personas["ward_officer"], submission.report, body="Xin thêm chi tiết")
    code, secret = typed(submission.report.tracking_code, submission.secret)
    page = client.post("/reports/track/", {"code": code, "secret": secret}, follow=True)
    assert page.status_code == 200
    assert page.context["proven"] and "Xin thêm chi tiết" in page.content.decode()
    # The page's address typed loosely leads to its own.
    loose = client.get(f"/reports/track/{submission.report.tracking_code.lower()}/")
    assert loose.status_code == 302
    assert loose["Location"] == f"/reports/track/{submission.report.tracking_code}/"


@pytest.mark.parametrize("body", ["", "   ", "\n\t "])
def test_an_empty_reply_is_refused_with_a_message_and_nothing_is_sent(
    client: Client, submit: Any, body: str
) -> None:
    submission = submit()
    code = submission.report.tracking_code
    client.post("/reports/track/", {"code": code, "secret": submission.secret})
    page = client.post(f"/reports/track/{code}/reply/", {"body": body})
    assert page.status_code == 400
    assert page.context["form"].errors["body"]
    assert 'aria-invalid="true"' in page.content.decode() or "error" in page.content.decode()
    assert not ReportMessage.objects.filter(report=submission.report).exists()


def test_tracking_with_code_only_hides_messages(client: Client, submit: Any) -> None:
    report = submit().report
    page = client.get(f"/reports/track/{report.tracking_code}/")
    assert page.status_code == 200 and not page.context["proven"]


def test_wrong_secret_is_refused(client: Client, submit: Any) -> None:
    report = submit().report
    page = client.post("/reports/track/", {"code": report.tracking_code, "secret": "AAAAA-BBBBB"})
    assert page.status_code == 400


def test_staff_list_is_scoped(client_for: Any, submit: Any) -> None:
    report = submit().report
    mine = client_for("ward_officer").get("/reports/")
    other = client_for("other_ward_officer").get("/reports/")
    assert report in [row.record for row in mine.context["page"].object_list]
    assert report not in [row.record for row in other.context["page"].object_list]


def test_staff_detail_outside_scope_is_404(client_for: Any, report: Report) -> None:
    assert client_for("other_ward_officer").get(f"/reports/{report.pk}/").status_code == 404


def test_htmx_action_returns_the_refreshed_panel(client_for: Any, report: Report) -> None:
    response = client_for("ward_officer").post(
        f"/reports/{report.pk}/action/triage/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "reports/_panel.html"
    report.refresh_from_db()
    assert report.status == "triaged"


def test_staff_reporter_view_is_audited(client_for: Any, submit: Any) -> None:
    report = submit(reporter={"name": "Trần Văn B", "anonymous": False}).report
    response = client_for("ward_officer").get(f"/reports/{report.pk}/reporter/")
    assert "Trần Văn B" in response.content.decode()
    assert AuditEvent.objects.filter(action="reports.view_reporter", sensitive_read=True).exists()


def test_staff_enters_a_walk_in_report(client_for: Any, demo_units: dict[str, Any]) -> None:
    data = form_data(demo_units, channel="walk_in", latitude="", longitude="")
    data["unit"] = demo_units["cua_ong"].pk
    response = client_for("ward_officer").post("/reports/new/", data)
    assert response.status_code == 302
    assert Report.objects.latest("id").channel == "walk_in"


def test_public_stats_suppress_counts_under_five(
    client: Client, submit: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["bai_chay"]
    for _i in range(3):
        submit(unit_key="bai_chay")
    rollups_catch_up()
    response = client.get("/reports/statistics/", {"unit": ward.pk})
    stats = response.context["stats"]
    assert stats.received is None
    assert all(v in (None, 0) for row in stats.rows for cell in row["cells"] for v in cell)
    assert any(cell[0] is None for row in stats.rows for cell in row["cells"])


def test_public_stats_show_counts_of_five_or_more(
    client: Client, submit: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["bai_chay"]
    for _i in range(5):
        submit(unit_key="bai_chay")
    rollups_catch_up()
    stats = client.get("/reports/statistics/", {"unit": ward.pk}).context["stats"]
    assert stats.received == 5


def test_public_note_needs_the_secret(
    client: Client, submit: Any, personas: dict[str, Any]
) -> None:
    from safeward.reports.services import report_resolve

    report = submit().report
    report_resolve(
        personas["ward_officer"], report, outcome="warning", public_note="Đã nhắc nhở hộ X"
    )
    page = client.get(f"/reports/track/{report.tracking_code}/")
    assert "Đã nhắc nhở hộ X" not in page.content.decode()


def test_unit_filter_keeps_only_that_subtree(
    client_for: Any, submit: Any, demo_units: dict[str, Any]
) -> None:
    inside, outside = submit().report, submit(unit_key="bai_chay").report
    page = client_for("province_admin").get("/reports/", {"unit": demo_units["cua_ong"].pk})
    shown = [row.record for row in page.context["page"].object_list]
    assert inside in shown and outside not in shown


def test_staff_list_query_count_does_not_grow_with_rows(
    client_for: Any, submit: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("ward_officer")
    for _i in range(6):
        submit()
    with django_assert_max_num_queries(16):
        client.get("/reports/")


def test_reporter_corrects_the_ward_before_triage(
    client: Client, submit: Any, demo_units: dict[str, Any]
) -> None:
    submission = submit(unit_key="bai_chay")
    code = submission.report.tracking_code
    client.post("/reports/track/", {"code": code, "secret": submission.secret})
    client.post(f"/reports/track/{code}/place/", {"unit": demo_units["cua_ong"].pk})
    assert Report.objects.get(tracking_code=code).ward == demo_units["cua_ong"]


def test_reporter_cannot_move_a_report_being_handled(
    client: Client, submit: Any, demo_units: dict[str, Any], personas: dict[str, Any]
) -> None:
    from safeward.reports.services import report_triage

    submission = submit()
    report_triage(personas["ward_officer"], submission.report)
    code = submission.report.tracking_code
    client.post("/reports/track/", {"code": code, "secret": submission.secret})
    client.post(f"/reports/track/{code}/place/", {"unit": demo_units["bai_chay"].pk})
    assert Report.objects.get(tracking_code=code).ward == demo_units["cua_ong"]


def test_report_page_offers_officers_a_footage_request(client_for: Any, report: Any) -> None:
    officer = client_for("ward_officer").get(f"/reports/{report.pk}/").content.decode()
    assert f"/evidence/requests/new/{report.pk}/" in officer
    leader = client_for("group_leader").get(f"/reports/{report.pk}/")
    assert f"/evidence/requests/new/{report.pk}/" not in leader.content.decode()
