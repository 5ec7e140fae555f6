"""A private PostgreSQL primary with a streaming replica, on loopback ports of our choosing.

Made with the machine's own PostgreSQL programs (``initdb``, ``pg_basebackup -R``,
``pg_ctl``) in a folder of ours, so it never touches the system's clusters: the replica
tests and the local cluster start one, use it and stop it. As root, the programs run as
the ``postgres`` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ClusterError(RuntimeError):
    """A PostgreSQL program failed; the message carries what it printed."""


def bin_dir() -> Path | None:
    """The folder of the newest installed PostgreSQL server programs, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


def _run(args: Sequence[str], *, timeout: float = 120) -> str:
    # Our own fixed programs and arguments, never a shell.
    done = subprocess.run(  # noqa: S603
        [*_as_owner(), *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise ClusterError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout}")
    return done.stdout


@dataclass
class Server:
    """One PostgreSQL server of the pair."""

    data: Path
    port: int
    log: Path

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str, timeout: float = 60) -> str:
        binaries = bin_dir()
        assert binaries is not None
        return _run([str(binaries / "pg_ctl"), "-D", str(self.data), *args], timeout=timeout)

    def start(self, *options: str) -> None:
        settings = " ".join(
            [f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-k {self.data}", *options]
        )
        self.pg_ctl("-w", "-l", str(self.log), "-o", settings, "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-w", "-m", mode, "stop")

    def psql(self, sql: str, database: str = "postgres") -> str:
        binaries = bin_dir()
        assert binaries is not None
        return _run(
            [
                str(binaries / "psql"),
                "-X",
                "-qAt",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ]
        ).strip()


@dataclass
class Pair:
    """A primary and its hot standby; ``replica_options`` are passed to the standby's start."""

    root: Path
    primary: Server
    replica: Server

    def stop(self) -> None:
        for server in (self.replica, self.primary):
            with contextlib.suppress(ClusterError):
                server.stop("immediate")

    def wait_replayed(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary wrote so far."""
        target = self.primary.psql("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = self.replica.psql(
                f"SELECT pg_wal_lsn_diff('{target}'::pg_lsn, pg_last_wal_replay_lsn())"
            )
            if behind and float(behind) <= 0:
                return
            time.sleep(0.1)
        raise ClusterError(f"the replica did not reach {target} in {timeout:.0f} s")


def _own_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(path, owner.pw_uid, owner.pw_gid)
    path.chmod(0o700)


def start_pair(
    root: Path, primary_port: int, replica_port: int, replica_options: Sequence[str] = ()
) -> Pair:
    """Create (if new) and start a primary with a streaming replica under ``root``."""
    binaries = bin_dir()
    if binaries is None:
        raise ClusterError("PostgreSQL's server programs (initdb) are not installed")
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # The postgres user must be able to reach the folder.
        root.chmod(0o755)
    primary = Server(root / "primary", primary_port, root / "primary.log")
    replica = Server(root / "replica", replica_port, root / "replica.log")
    for log in (primary.log, replica.log):
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(log, "postgres", "postgres")
    if not (primary.data / "PG_VERSION").exists():
        _own_folder(primary.data)
        _run(
            [
                str(binaries / "initdb"),
                "-D",
                str(primary.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        with (primary.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
    primary.start("-c wal_level=replica", "-c max_wal_senders=5", "-c fsync=off")
    if not (replica.data / "PG_VERSION").exists():
        _own_folder(replica.data)
        _run(
            [
                str(binaries / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-D",
                str(replica.data),
                "-R",
                "-X",
                "stream",
            ]
        )
    replica.start("-c hot_standby=on", "-c fsync=off", *replica_options)
    return Pair(root, primary, replica)
