from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.core.audit import audit_record, audit_seal
from safeward.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one archive holding a consistent copy of the database (SQLite online backup or "
        "pg_dump) and every stored file (clips, photos, materials), each with its SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.exists():
            raise CommandError(f"{path} exists; choose a new file name.")
        audit_record(None, "database.backup", object_type="database", object_id=path.name)
        audit_seal()
        try:
            manifest = backup_write(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        self.stdout.write(
            f"backup written to {path} ({path.stat().st_size:,} bytes): the database and "
            f"{len(files)} files ({sum(f['size'] for f in files):,} bytes)"
        )
