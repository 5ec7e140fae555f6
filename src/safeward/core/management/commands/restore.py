from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and stored files with a backup made by `safeward backup` "
        "(stop the server first); every file is checked against the backup and the records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data is replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        if not options["yes"]:
            raise CommandError("Restoring replaces every record; run again with --yes to confirm.")
        try:
            result = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.problems:
            raise CommandError(
                f"restored from {path}, but {len(result.problems)} files do not match their "
                "records: " + "; ".join(result.problems[:20])
            )
        from safeward.core.audit import audit_verify

        audit = audit_verify()
        self.stdout.write(
            f"restored from {path}: {result.files} files ({result.bytes:,} bytes), every file "
            f"matches its record; audit chain: {audit.message}"
        )
