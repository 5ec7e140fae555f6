"""``safeward cluster``: the multi-process deployment on loopback (see ``safeward.web.cluster``)."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeward.core.objectserver import ObjectServerError
from safeward.core.pgcluster import ClusterError
from safeward.web.cluster import ClusterStartError, LocalCluster


class Command(BaseCommand):
    help = (
        "Start nginx, two web instances, two RQ workers, PostgreSQL with a replica, Redis and "
        "S3 object storage on 127.0.0.1; Ctrl-C stops them all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--root", default=str(Path(settings.PROJECT_DIR) / "var" / "cluster"))
        parser.add_argument("--demo", action="store_true", help="load the demo data on start")

    def handle(self, *args: Any, **options: Any) -> None:
        cluster = LocalCluster(Path(options["root"]), port=options["port"], say=self.stdout.write)
        stop = False

        def _stop(*_a: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        try:
            cluster.start(demo=options["demo"])
        except (ClusterStartError, ClusterError, ObjectServerError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Ctrl-C to stop.")
        try:
            while not stop:
                failed = cluster.failed()
                if failed:
                    raise CommandError(f"stopped by itself: {', '.join(failed)}")
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping the cluster ...")
            cluster.stop()
