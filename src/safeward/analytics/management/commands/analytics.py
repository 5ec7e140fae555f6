"""``safeward analytics rebuild [--indicator CODE ...]`` and ``safeward analytics refresh --since DAY``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeward.analytics.rollups import rebuild_all, refresh_all


class Command(BaseCommand):
    help = (
        "Analytics maintenance: 'rebuild' recomputes the rollup tables from the source facts;"
        " 'refresh' recomputes only the periods from a given year on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh"])
        parser.add_argument("--indicator", action="append", default=[], help="only this code")
        parser.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            default=None,
            help="refresh: recompute from 1 January of this day's year (default: last year)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            since = options["since"] or dt.date(timezone.localdate().year - 1, 1, 1)
            written = refresh_all(since)
            self.stdout.write(f"refreshed {len(written)} indicators from {since.year}")
            return
        written = rebuild_all(options["indicator"] or None, log=self.stdout.write)
        self.stdout.write(f"rebuilt {len(written)} indicators, {sum(written.values())} rows")
