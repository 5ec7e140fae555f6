from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.core.audit import audit_seal, audit_verify


class Command(BaseCommand):
    help = "Audit trail: 'verify' recomputes the hash chain; 'seal' chains new events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify", "seal"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["operation"] == "seal":
            self.stdout.write(f"{audit_seal()} events sealed")
            return
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN after {result.checked} good events: {result.message}"
                + (
                    f" (seal {result.broken_seq}, event {result.broken_event_id})"
                    if result.broken_seq
                    else ""
                )
            )
        self.stdout.write(f"audit chain OK: {result.message}")
