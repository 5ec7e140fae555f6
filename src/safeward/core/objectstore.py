"""S3-compatible object storage for stored files, with evidence kept write-once.

Used when ``SAFEWARD_S3_ENDPOINT_URL`` is set (django-storages' S3 backend underneath).
Files are never served from the bucket: every read goes through the permission-checked
view that opens the file, so the bucket stays private (no ACLs, no public URLs).

Names under a write-once prefix (``evidence/``) are put with an S3 Object Lock retention
in GOVERNANCE mode: nobody can delete or replace that version while it is locked. A later
put under the same name would only add a newer version, so reads of a write-once name
always take the first version, the one whose SHA-256 was recorded at receipt. The one
deletion the law asks for (a short-retention clip at the end of its keeping period) is made
by the purge, which removes every version with the governance bypass the purge alone uses.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.conf import settings
from django.core.files.base import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

WRITE_ONCE_PREFIXES = ("evidence/",)
SPOOL_BYTES = 8 * 1024 * 1024


class ObjectStorage(S3Storage):  # type: ignore[misc]  # django-storages has no types
    """Private S3 storage: unique names, no ACL, write-once evidence (see the module)."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("file_overwrite", False)
        options.setdefault("default_acl", None)
        options.setdefault("querystring_auth", True)
        super().__init__(**options)

    def ensure_bucket(self) -> bool:
        """Create the bucket with Object Lock if it does not exist; True if it was made."""
        client = self.connection.meta.client
        names = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if self.bucket_name in names:
            return False
        client.create_bucket(Bucket=self.bucket_name, ObjectLockEnabledForBucket=True)
        return True

    def write_once(self, name: str) -> bool:
        return bool(clean_name(name).startswith(WRITE_ONCE_PREFIXES))

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        params: dict[str, Any] = super().get_object_parameters(name)
        if self.write_once(name):
            days = int(getattr(settings, "SAFEWARD_S3_LOCK_DAYS", 3650))
            params["ObjectLockMode"] = "GOVERNANCE"
            params["ObjectLockRetainUntilDate"] = dt.datetime.now(dt.UTC) + dt.timedelta(days)
        return params

    def _key(self, name: str) -> str:
        return str(self._normalize_name(clean_name(name)))

    def _versions(self, name: str) -> list[dict[str, Any]]:
        client = self.connection.meta.client
        key = self._key(name)
        found: list[dict[str, Any]] = []
        pages = client.get_paginator("list_object_versions").paginate(
            Bucket=self.bucket_name, Prefix=key
        )
        for page in pages:
            found += [v for v in page.get("Versions", []) if v["Key"] == key]
        # S3 lists a key's versions newest first and times have a one-second grain:
        # oldest first, equal times kept in listing order turned round.
        found.reverse()
        return sorted(found, key=lambda v: v["LastModified"])

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if not self.write_once(name) or "w" in mode:
            return super()._open(name, mode)  # type: ignore[no-any-return]
        versions = self._versions(name)
        if not versions:
            raise FileNotFoundError(f"File does not exist: {name}")
        body = self.connection.meta.client.get_object(
            Bucket=self.bucket_name, Key=self._key(name), VersionId=versions[0]["VersionId"]
        )["Body"]
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the File owns it)
        for chunk in iter(lambda: body.read(1024 * 1024), b""):
            spool.write(chunk)
        spool.seek(0)
        return File(spool, name)

    def delete(self, name: str) -> None:
        if not self.write_once(name):
            super().delete(name)
            return
        client = self.connection.meta.client
        for version in self._versions(name):
            client.delete_object(
                Bucket=self.bucket_name,
                Key=self._key(name),
                VersionId=version["VersionId"],
                BypassGovernanceRetention=True,
            )
