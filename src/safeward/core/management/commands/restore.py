from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Replace the database with a backup made by `safeward backup` (stop the server first)."

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
        if connection.vendor == "sqlite":
            self._restore_sqlite(path)
        elif connection.vendor == "postgresql":
            self._restore_postgres(path)
        else:
            raise CommandError(f"Restoring {connection.vendor} is not supported.")
        from safeward.core.audit import audit_verify

        result = audit_verify()
        self.stdout.write(f"restored from {path}; audit chain: {result.message}")

    def _restore_sqlite(self, path: Path) -> None:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
                if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise CommandError(f"{path} is damaged (integrity check failed).")
                connection.ensure_connection()
                source.backup(connection.connection)  # type: ignore[arg-type]
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{path} is not a SQLite backup: {exc}") from exc

    def _restore_postgres(self, path: Path) -> None:
        exe = shutil.which("pg_restore")
        if exe is None:
            raise CommandError("pg_restore is not installed.")
        s = connection.settings_dict
        connection.close()
        result = subprocess.run(  # noqa: S603
            [
                exe,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--host",
                str(s.get("HOST") or "localhost"),
                "--port",
                str(s.get("PORT") or 5432),
                "--username",
                str(s.get("USER") or ""),
                "--dbname",
                str(s["NAME"]),
                str(path),
            ],
            env={**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(
                f"pg_restore failed, nothing was changed: {result.stderr.strip()[-500:]}"
            )
