from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeward.core.retention import purge_all


class Command(BaseCommand):
    help = "Delete what has outlived its retention period (each app registers its own rules)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, count in purge_all().items():
            self.stdout.write(f"{name}: {count} removed")
