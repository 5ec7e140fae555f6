from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeward.core.audit import audit_seal
from safeward.core.periodic import enqueue_due
from safeward.core.retention import purge_all


def default_workers() -> int:
    """Two single-threaded workers per core: a request never waits for another's share of
    the interpreter lock while holding the database's write lock, and one worker's wait
    on the network or the database leaves the core to the other."""
    return 2 * (os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Serve SafeWard (gunicorn) together with the task worker and the audit sealer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="gunicorn worker processes (default: two per CPU core)",
        )
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safeward.config.settings"}
        bind = f"{options['host']}:{options['port']}"
        children = [
            subprocess.Popen(  # noqa: S603 (fixed argument list)
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "safeward.config.wsgi:application",
                    "--bind",
                    bind,
                    "--workers",
                    str(options["workers"]),
                    "--access-logfile",
                    "-",
                    "--timeout",
                    "120",
                ],
                env=env,
            )
        ]
        if not options["no_worker"]:
            children.append(
                subprocess.Popen([sys.executable, "-m", "safeward.cli", "worker"], env=env)
            )
        self.stdout.write(f"SafeWard on http://{bind}/  (Ctrl-C to stop)")
        stop = False

        def _stop(*_a: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        last_purge = 0.0
        try:
            while not stop and all(c.poll() is None for c in children):
                audit_seal()
                if not options["no_worker"]:
                    enqueue_due()
                elif time.monotonic() - last_purge > 3600:
                    purge_all()
                    last_purge = time.monotonic()
                for _ in range(20):
                    if stop:
                        break
                    time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                child.wait(timeout=15)
