from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.core.importing import ENCODINGS
from safeward.geo.csv_import import import_neighbourhoods_csv


class Command(BaseCommand):
    help = "Add neighbourhoods below wards from a CSV or XLSX file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--as-user", required=True, help="Username the import is made by (audited)."
        )
        parser.add_argument(
            "--encoding", default="auto", choices=[code for code, _label in ENCODINGS]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model()._default_manager.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"Unknown user {options['as_user']!r}.")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = import_neighbourhoods_csv(
            user, path.read_bytes(), name=path.name, encoding=options["encoding"]
        )
        if result.error_count:
            for error in result.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f" column {error.field}" if error.field else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(f"{result.error_count} problems; nothing was imported.")
        self.stdout.write(f"{result.created} neighbourhoods created.")
