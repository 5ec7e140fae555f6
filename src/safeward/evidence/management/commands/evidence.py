from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.evidence.services.custody import evidence_verify


class Command(BaseCommand):
    help = "Evidence: 'verify' re-hashes every kept clip and checks every custody chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = evidence_verify()
        if not result.ok:
            raise CommandError(
                f"evidence BROKEN ({len(result.problems)} problems): " + "; ".join(result.problems)
            )
        self.stdout.write(f"evidence OK: {result.items} items, {result.events} custody events")
