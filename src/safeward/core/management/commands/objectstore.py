"""``manage.py objectstore init``: make the object-storage bucket (with Object Lock) if missing."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safeward.core.objectstore import ObjectStorage


class Command(BaseCommand):
    help = "Prepare S3-compatible object storage: the bucket, with Object Lock for evidence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init"])

    def handle(self, *args: Any, **options: Any) -> None:
        storage = storages["default"]
        if not isinstance(storage, ObjectStorage):
            raise CommandError(
                _("Files are not kept in object storage (SAFEWARD_S3_ENDPOINT_URL is not set).")
            )
        made = storage.ensure_bucket()
        self.stdout.write(
            _("Bucket {name} created with Object Lock.").format(name=storage.bucket_name)
            if made
            else _("Bucket {name} is there already.").format(name=storage.bucket_name)
        )
