"""Report photos are served only to the officers of the report's unit, each read audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeward.core.models import AuditEvent
from safeward.reports.models import ReportAttachment
from safeward.reports.services import Submission
from safeward.reports.uploads import clean_uploads
from tests.core import images

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(submit: Callable[..., Submission]) -> ReportAttachment:
    photo = SimpleUploadedFile("cam.jpg", images.tagged_jpeg(), content_type="text/html")
    report = submit(uploads=clean_uploads([photo])).report
    return report.attachments.get()


def stored_bytes(attachment: ReportAttachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def url(attachment: ReportAttachment) -> str:
    return reverse("reports:attachment", args=[attachment.pk])


def test_officer_of_the_ward_gets_the_stored_photo(
    client_for: Any, attachment: ReportAttachment
) -> None:
    response = client_for("ward_officer").get(url(attachment))
    assert response.status_code == 200, response
    assert b"".join(response.streaming_content) == stored_bytes(attachment)


def test_reading_a_photo_writes_a_sensitive_read_audit_event(
    client_for: Any, personas: dict[str, Any], attachment: ReportAttachment
) -> None:
    client_for("ward_officer").get(url(attachment))
    event = AuditEvent.objects.get(action="reports.attachment_read", object_id=str(attachment.pk))
    assert event.sensitive_read and event.actor_id == personas["ward_officer"].pk


def test_photo_headers_come_from_the_stored_record(
    client_for: Any, attachment: ReportAttachment
) -> None:
    response = client_for("ward_officer").get(url(attachment))
    assert response["Content-Type"] == "image/jpeg"  # not the declared text/html
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Disposition"] == (
        f'inline; filename="report-{attachment.report_id}-{attachment.pk}.jpg"'
    )


def test_officer_of_another_ward_gets_404(client_for: Any, attachment: ReportAttachment) -> None:
    assert client_for("other_ward_officer").get(url(attachment)).status_code == 404
    assert not AuditEvent.objects.filter(action="reports.attachment_read").exists()


def test_front_member_who_sees_the_report_does_not_get_its_photos(
    client_for: Any, attachment: ReportAttachment
) -> None:
    assert client_for("front_member").get(url(attachment)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client: Any, attachment: ReportAttachment) -> None:
    response = client.get(url(attachment))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_report_page_links_the_photo_to_the_scoped_view(
    client_for: Any, attachment: ReportAttachment
) -> None:
    page = client_for("ward_officer").get(reverse("reports:detail", args=[attachment.report_id]))
    assert f'href="{url(attachment)}"' in page.content.decode()
    assert "/media/" not in page.content.decode()


def test_photo_is_not_served_under_media_url(client_for: Any, attachment: ReportAttachment) -> None:
    assert client_for("ward_officer").get("/media/" + attachment.file.name).status_code == 404
