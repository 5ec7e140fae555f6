"""Stored files in a real S3-compatible server (SeaweedFS on loopback), evidence write-once.

The server is started with its own key pair; the app's default storage is pointed at it
for each test, as ``SAFEWARD_S3_ENDPOINT_URL`` does in production. Each test reads the
bucket itself with boto3, beside what the app's pages answer.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeward.core.objectserver import ObjectServer
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.evidence.services import items
from safeward.evidence.services.custody import evidence_verify
from safeward.evidence.services.retention import purge_expired_items

pytestmark = pytest.mark.django_db

CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def object_server() -> Iterator[ObjectServer]:
    server = ObjectServer(Path(tempfile.mkdtemp(prefix="safeward-s3-")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(object_server: ObjectServer, settings: Any) -> Iterator[Any]:
    """A fresh bucket for the test, the app's storage pointed at it; yields a boto3 client."""
    name = f"t-{timezone.now():%H%M%S%f}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "safeward.core.objectstore.ObjectStorage",
            "OPTIONS": {
                "endpoint_url": object_server.endpoint,
                "bucket_name": name,
                "access_key": object_server.access_key,
                "secret_key": object_server.secret_key,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    call_command("objectstore", "init", stdout=io.StringIO())
    client = boto3.client(
        "s3",
        endpoint_url=object_server.endpoint,
        aws_access_key_id=object_server.access_key,
        aws_secret_access_key=object_server.secret_key,
        region_name="us-east-1",
    )
    client.bucket = name
    yield client


def _receive(request: FootageRequest) -> EvidenceItem:
    start = request.incident_at - dt.timedelta(minutes=5)
    return items.evidence_receive(
        None,
        upload=io.BytesIO(CLIP),
        filename="clip.mp4",
        content_type="video/mp4",
        recorded_start=start,
        recorded_end=start + dt.timedelta(minutes=10),
        acquisition="custodian_upload",
        target=request.targets.get(),
    )


def _keys(bucket: Any) -> list[str]:
    listed = bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", [])
    return [o["Key"] for o in listed]


def test_a_clip_is_stored_in_the_bucket_locked_and_served_only_through_the_page(
    bucket: Any, client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _receive(footage_request)
    assert _keys(bucket) == [item.file.name]
    retention = bucket.get_object_retention(Bucket=bucket.bucket, Key=item.file.name)
    assert retention["Retention"]["Mode"] == "GOVERNANCE"
    assert retention["Retention"]["RetainUntilDate"] > timezone.now() + dt.timedelta(days=365)
    response = client_for("ward_officer").get(reverse("evidence:item_file", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == CLIP
    assert (
        client_for("other_ward_officer")
        .get(reverse("evidence:item_file", args=[item.pk]))
        .status_code
        == 404
    )


def test_the_bucket_is_private(bucket: Any, footage_request: FootageRequest, approved: Any) -> None:
    item = _receive(footage_request)
    endpoint = bucket.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{bucket.bucket}/{item.file.name}", timeout=5)
    assert refused.value.code == 403


def test_a_locked_clip_cannot_be_deleted_and_a_replacement_is_never_read(
    bucket: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _receive(footage_request)
    version = bucket.head_object(Bucket=bucket.bucket, Key=item.file.name)["VersionId"]
    with pytest.raises(ClientError):
        bucket.delete_object(Bucket=bucket.bucket, Key=item.file.name, VersionId=version)
    # Someone with the key puts other bytes under the same name: a newer version only.
    bucket.put_object(Bucket=bucket.bucket, Key=item.file.name, Body=b"replaced")
    with default_storage.open(item.file.name, "rb") as handle:
        assert handle.read() == CLIP
    assert evidence_verify().ok


def test_the_purge_removes_every_version_of_an_expired_short_clip(
    bucket: Any, personas: dict[str, Any], footage_request: FootageRequest, approved: Any
) -> None:
    kept = _receive(footage_request)
    item = _receive(footage_request)
    items.evidence_set_retention(
        personas["ward_officer"], item, retention="short", reason="Vụ việc đã đóng"
    )
    EvidenceItem.objects.filter(pk=item.pk).update(retain_until=timezone.now() - dt.timedelta(1))
    assert purge_expired_items() == 1
    versions = bucket.list_object_versions(Bucket=bucket.bucket, Prefix=item.file.name)
    assert not versions.get("Versions") and not default_storage.exists(item.file.name)
    assert _keys(bucket) == [kept.file.name]


def test_a_report_photo_is_stored_in_the_bucket_and_not_locked(
    bucket: Any, client_for: Any, report: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeward.reports.services import report_submit
    from safeward.reports.uploads import clean_uploads
    from tests.core import images

    photo = SimpleUploadedFile("cam.jpg", images.tagged_jpeg(), content_type="image/jpeg")
    submitted = report_submit(
        None,
        category=report.category,
        description="Có người lạ đi quanh khu nhà kho lúc nửa đêm",
        channel="web",
        unit=report.unit,
        uploads=clean_uploads([photo]),
    )
    attachment = submitted.report.attachments.get()
    assert attachment.file.name in _keys(bucket)
    with pytest.raises(ClientError):
        bucket.get_object_retention(Bucket=bucket.bucket, Key=attachment.file.name)
    response = client_for("ward_officer").get(reverse("reports:attachment", args=[attachment.pk]))
    with default_storage.open(attachment.file.name, "rb") as handle:
        stored = handle.read()
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
