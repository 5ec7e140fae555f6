"""SafeWard across several processes on one machine: what a national deployment runs, on loopback.

``safeward cluster`` (``make cluster``) starts, each on 127.0.0.1 and under ``var/cluster``:

- a PostgreSQL primary and a streaming replica (``safeward.core.pgcluster``);
- Redis (cache, rate limits, scope invalidation, the RQ task queue);
- a SeaweedFS S3 server (``safeward.core.objectserver``) holding every stored file;
- two ``safeward serve`` web instances (the first with an RQ worker and the periodic jobs);
- one more RQ worker process, so two take tasks;
- nginx balancing the two web instances on ``--port`` (8000).

Every process gets the same environment, so any web instance serves any request: sessions
live in the database, caches and rate limits in Redis, files in the bucket. Stopping (Ctrl-C
or ``stop()``) ends them in reverse order.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safeward.core.objectserver import ObjectServer
from safeward.core.pgcluster import Pair, start_pair

NGINX_CONF = """\
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
  access_log {root}/nginx-access.log;
  client_body_temp_path {root}/tmp/body;
  proxy_temp_path {root}/tmp/proxy;
  fastcgi_temp_path {root}/tmp/fastcgi;
  uwsgi_temp_path {root}/tmp/uwsgi;
  scgi_temp_path {root}/tmp/scgi;
  client_max_body_size 200m;
  upstream safeward {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://safeward;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }}
  }}
}}
"""


class ClusterStartError(RuntimeError):
    """A part of the cluster did not start; the message says which and why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_health(port: int, what: str, timeout: float = 180) -> None:
    """Until ``/healthz`` answers 200 (the instance has loaded and reached its database)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise ClusterStartError(f"{what} did not answer /healthz in {timeout:.0f} s")


def wait_for_port(port: int, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise ClusterStartError(f"{what} did not open port {port} in {timeout:.0f} s")


@dataclass
class Process:
    name: str
    argv: list[str]
    popen: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str], log: Path) -> None:
        handle = log.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 (our own programs)
            self.argv, env=env, stdout=handle, stderr=subprocess.STDOUT
        )

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if not self.running():
            return
        assert self.popen is not None
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


@dataclass
class LocalCluster:
    """The processes of ``safeward cluster`` and the environment they share."""

    root: Path
    port: int = 8000
    web_ports: tuple[int, int] = (0, 0)
    pair: Pair | None = None
    objects: ObjectServer | None = None
    redis_port: int = 0
    processes: dict[str, Process] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    say: Callable[[str], None] = print

    def manage(self) -> list[str]:
        return [sys.executable, "-m", "safeward.cli"]

    def start(self, *, demo: bool = False) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # PostgreSQL and nginx's workers run as their own users: they must reach in.
            self.root.chmod(0o755)
        try:
            self._start_databases()
            self._start_redis()
            self._start_objects()
            self._prepare(demo=demo)
            self._start_web()
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def _start_databases(self) -> None:
        self.say("PostgreSQL primary and replica ...")
        self.pair = start_pair(self.root / "pg", free_port(), free_port())
        if self.pair.primary.psql("SELECT 1 FROM pg_database WHERE datname = 'safeward'") != "1":
            self.pair.primary.psql("CREATE DATABASE safeward")

    def _start_redis(self) -> None:
        self.say("Redis ...")
        self.redis_port = free_port()
        redis = Process(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                *("--bind", "127.0.0.1", "--port", str(self.redis_port)),
                *("--save", "", "--appendonly", "no", "--dir", str(self.root)),
            ],
        )
        redis.start(dict(os.environ), self.root / "redis.log")
        self.processes["redis"] = redis
        wait_for_port(self.redis_port, "Redis")

    def _start_objects(self) -> None:
        self.say("SeaweedFS object storage ...")
        self.objects = ObjectServer(self.root / "s3")
        self.objects.start()

    def _shared_env(self) -> dict[str, str]:
        assert self.pair is not None and self.objects is not None
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
            "DATABASE_URL": self.pair.primary.url("safeward"),
            "SAFEWARD_REPLICA_URL": self.pair.replica.url("safeward"),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SAFEWARD_TASK_BACKEND": "rq",
            "SAFEWARD_S3_ENDPOINT_URL": self.objects.endpoint,
            "SAFEWARD_S3_BUCKET": "safeward-files",
            "SAFEWARD_S3_ACCESS_KEY": self.objects.access_key,
            "SAFEWARD_S3_SECRET_KEY": self.objects.secret_key,
            "SAFEWARD_VAR_DIR": str(self.root / "var"),
            "SAFEWARD_BASE_URL": f"http://127.0.0.1:{self.port}",
            "SAFEWARD_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.port}",
            # Plain HTTP on loopback: cookies marked Secure would never come back.
            "SAFEWARD_SECURE_COOKIES": "0",
        }

    def _run(self, *args: str) -> None:
        done = subprocess.run(  # noqa: S603 (our own command)
            [*self.manage(), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ClusterStartError(f"safeward {' '.join(args)} failed: {done.stderr[-2000:]}")

    def _prepare(self, *, demo: bool) -> None:
        self.env = self._shared_env()
        self.say("Migrating the primary, making the bucket ...")
        self._run("migrate", "--noinput", "-v0")
        self._run("objectstore", "init")
        if demo:
            self.say("Loading the demo ...")
            self._run("demo")

    def _start_web(self) -> None:
        self.web_ports = (free_port(), free_port())
        for index, port in enumerate(self.web_ports, start=1):
            argv = [*self.manage(), "serve", "--host", "127.0.0.1", "--port", str(port)]
            argv += ["--workers", "2"]
            if index > 1:
                argv.append("--no-worker")
            web = Process(f"web{index}", argv)
            web.start(
                {**self.env, "SAFEWARD_INSTANCE": f"web{index}"}, self.root / f"web{index}.log"
            )
            self.processes[web.name] = web
        worker = Process("worker2", [*self.manage(), "worker"])
        worker.start(self.env, self.root / "worker2.log")
        self.processes["worker2"] = worker
        for index, port in enumerate(self.web_ports, start=1):
            self.say(f"web{index} on 127.0.0.1:{port} ...")
            wait_for_health(port, f"web{index}")

    def _start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise ClusterStartError("nginx is not installed (Debian's nginx package)")
        home = self.root / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (home / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        user = ""
        if os.geteuid() == 0:
            user = "user www-data;"
            for path in [home / "tmp", *(home / "tmp").iterdir()]:
                shutil.chown(path, "www-data")
        servers = "\n".join(
            f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in self.web_ports
        )
        conf = home / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=home, user=user, servers=servers, port=self.port))
        proxy = Process("nginx", [nginx, "-c", str(conf), "-p", str(home), "-g", "daemon off;"])
        proxy.start(dict(os.environ), home / "nginx.log")
        self.processes["nginx"] = proxy
        wait_for_port(self.port, "nginx")
        self.say(f"SafeWard cluster on http://127.0.0.1:{self.port}/")

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.processes[name].stop()
        self.processes.clear()
        if self.objects is not None:
            self.objects.stop()
        if self.pair is not None:
            self.pair.stop()

    def failed(self) -> list[str]:
        return [name for name, p in self.processes.items() if not p.running()]
