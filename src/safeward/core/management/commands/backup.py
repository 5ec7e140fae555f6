from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from safeward.core.audit import audit_record, audit_seal


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database: SQLite online backup, or pg_dump (custom format)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.exists():
            raise CommandError(f"{path} exists; choose a new file name.")
        path.parent.mkdir(parents=True, exist_ok=True)
        audit_record(None, "database.backup", object_type="database", object_id=path.name)
        audit_seal()
        if connection.vendor == "sqlite":
            if connection.in_atomic_block:
                raise CommandError("A SQLite backup cannot run inside an open transaction.")
            connection.ensure_connection()
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)  # type: ignore[union-attr]
        elif connection.vendor == "postgresql":
            exe = shutil.which("pg_dump")
            if exe is None:
                raise CommandError("pg_dump is not installed.")
            s = connection.settings_dict
            env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
            result = subprocess.run(  # noqa: S603
                [
                    exe,
                    "--format=custom",
                    "--file",
                    str(path),
                    "--host",
                    str(s.get("HOST") or "localhost"),
                    "--port",
                    str(s.get("PORT") or 5432),
                    "--username",
                    str(s.get("USER") or ""),
                    str(s["NAME"]),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                path.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Backups of {connection.vendor} are not supported.")
        self.stdout.write(f"backup written to {path} ({path.stat().st_size:,} bytes)")
