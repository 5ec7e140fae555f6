from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.core.errors import DomainError
from safeward.geo.importer import import_units


class Command(BaseCommand):
    help = (
        "Load Vietnam's administrative units (before and after July 2025) with their successions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province", action="append", help="Province name (repeatable); all when absent."
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            stats = import_units(None, options["province"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(stats.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{', '.join(stats.provinces)}: {stats.created} units created, {stats.updated} updated, "
            f"{stats.unchanged} unchanged; successions {stats.successions_created} created, "
            f"{stats.successions_updated} updated, {stats.successions_unchanged} unchanged; "
            f"{stats.seconds:.2f} s"
        )
        self.stdout.write(
            "by level: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.by_level.items()))
        )
