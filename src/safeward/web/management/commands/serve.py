from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from safeward.core.audit import audit_seal
from safeward.core.periodic import Retrying, enqueue_due
from safeward.core.retention import purge_all

log = logging.getLogger("safeward.serve")
TICK_SECONDS = 0.5
SEAL_SECONDS = 10.0
WORKER_RESTART_CAP_SECONDS = 60.0


def default_workers() -> int:
    """Two single-threaded workers per core: a request never waits for another's share of
    the interpreter lock while holding the database's write lock, and one worker's wait
    on the network or the database leaves the core to the other."""
    return 2 * (os.cpu_count() or 1)


class Supervised:
    """The task worker: started again (after 1, 2, 4 … s) whenever it exits."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.argv, self.env = argv, env
        self.restarts = 0
        self.due = 0.0
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 (fixed argv)

    def check(self, now: float) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        if self.process is not None:
            self.restarts += 1
            delay = min(WORKER_RESTART_CAP_SECONDS, 2.0 ** (self.restarts - 1))
            log.warning(
                "task worker exited (%s); restarting in %.0f s", self.process.returncode, delay
            )
            self.process, self.due = None, now + delay
        if now >= self.due:
            self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


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
        # Hashed, compressed static files for browsers to cache (`make assets` writes them;
        # a checkout served without it collects them once here).
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safeward.config.settings"}
        bind = f"{options['host']}:{options['port']}"
        web = subprocess.Popen(  # noqa: S603 (fixed argument list)
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
        worker = (
            None
            if options["no_worker"]
            else Supervised([sys.executable, "-m", "safeward.cli", "worker"], env)
        )
        self.stdout.write(f"SafeWard on http://{bind}/  (Ctrl-C to stop)")
        stop = False

        def _stop(*_a: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        # The sealer and the periodic jobs retry with backoff: a locked or briefly missing
        # database delays them, it never stops the server.
        rounds = [Retrying("audit sealer", audit_seal, SEAL_SECONDS)]
        rounds.append(
            Retrying("periodic jobs", enqueue_due, SEAL_SECONDS)
            if worker is not None
            else Retrying("retention", purge_all, 3600)
        )
        try:
            while not stop and web.poll() is None:
                now = time.monotonic()
                for job in rounds:
                    job(now)
                if worker is not None:
                    worker.check(now)
                time.sleep(TICK_SECONDS)
        finally:
            if web.poll() is None:
                web.terminate()
            if worker is not None:
                worker.stop()
            web.wait(timeout=15)
