from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.accounts.models import User
from safeward.geo.csv_import import import_neighbourhoods_csv


class Command(BaseCommand):
    help = "Add neighbourhoods below wards from a CSV file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--as-user", required=True, help="Username the import is made by (audited)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"Unknown user {options['as_user']!r}.")
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        result = import_neighbourhoods_csv(user, path.read_bytes())
        if result.errors:
            for row, message in result.errors:
                self.stderr.write(f"row {row}: {message}")
            raise CommandError(f"{len(result.errors)} rows are invalid; nothing was imported.")
        self.stdout.write(f"{result.created} neighbourhoods created.")
