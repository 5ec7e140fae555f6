"""Backups that hold everything: the database and every stored file, checked on the way back.

A backup is one tar archive::

    manifest.json        format, time, database vendor, every file's name, size and SHA-256
    database.sqlite3     (SQLite online backup) or database.pgdump (pg_dump, custom format)
    files/<name>         every file in the default storage (clips, photos, materials)

``backup_write`` snapshots the database first, then copies the files through the storage API
(local disk or object storage alike). ``backup_restore`` checks every archived file against
the manifest before it changes anything, replaces the database, puts the files back, and then
runs each app's registered file check (evidence re-hashes every clip against its custody
record) so a restore reports success only when every referenced file is there and intact.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

FORMAT = "safeward-backup/2"
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, nothing was changed."""


@dataclass
class FileCheck:
    name: str
    run: Callable[[], list[str]]


@dataclass
class RestoreResult:
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


_file_checks: list[FileCheck] = []


def register_file_check(name: str, run: Callable[[], list[str]]) -> None:
    """Apps register a check that every file their records name exists with its recorded hash."""
    if all(c.name != name for c in _file_checks):
        _file_checks.append(FileCheck(name, run))


def run_file_checks() -> list[str]:
    return [problem for check in _file_checks for problem in check.run()]


def storage_sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(top: str = "") -> Iterator[str]:
    """Every file name in the default storage, depth first, in a stable order."""
    try:
        dirs, files = default_storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for sub in sorted(dirs):
        yield from stored_files(f"{top}/{sub}" if top else sub)


# --- writing ---------------------------------------------------------------------------------
def _pg_args(exe: str, *args: str) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    common = [
        "--host",
        str(s.get("HOST") or "localhost"),
        "--port",
        str(s.get("PORT") or 5432),
        "--username",
        str(s.get("USER") or ""),
    ]
    env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
    return [exe, *common, *args], env


def _dump_database(workdir: Path) -> Path:
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            raise BackupError("A SQLite backup cannot run inside an open transaction.")
        target = workdir / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    if connection.vendor == "postgresql":
        exe = shutil.which("pg_dump")
        if exe is None:
            raise BackupError("pg_dump is not installed.")
        target = workdir / "database.pgdump"
        argv, env = _pg_args(
            exe, "--format=custom", "--file", str(target), str(connection.settings_dict["NAME"])
        )
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise BackupError(f"Backups of {connection.vendor} are not supported.")


class _HashingReader(io.RawIOBase):
    """Reads a storage file once, for the archive and the digest together."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _add_bytes(archive: tarfile.TarFile, name: str, body: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(body))


def backup_write(path: Path) -> dict[str, Any]:
    """Write the database and every stored file to ``path``; returns the manifest."""
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "files": [],
    }
    try:
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(partial, "w") as archive:
            dump = _dump_database(Path(tmp))
            manifest["database_member"] = dump.name
            manifest["database_sha256"] = _file_sha256(dump)
            archive.add(dump, arcname=dump.name)
            for name in stored_files():
                manifest["files"].append(_archive_file(archive, name))
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _archive_file(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    size = default_storage.size(name)
    info = tarfile.TarInfo(FILES_PREFIX + name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    with default_storage.open(name, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, io.BufferedReader(reader, CHUNK))
    return {"name": name, "size": size, "sha256": reader.digest.hexdigest()}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- restoring -------------------------------------------------------------------------------
def _open_archive(path: Path) -> tarfile.TarFile:
    if not path.exists():
        raise BackupError(f"No such file: {path}")
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a SafeWard backup ({exc}).") from exc


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
        manifest = json.load(handle) if handle else None
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a SafeWard backup (no manifest).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a SafeWard backup of format {FORMAT}.")
    if manifest.get("database") != connection.vendor:
        raise BackupError(
            f"{path} holds a {manifest.get('database')} database; this server runs "
            f"{connection.vendor}."
        )
    return manifest


def _extract_checked(archive: tarfile.TarFile, member: str, sha256: str, target: Path) -> int:
    """Copy one member to ``target``, refusing it if its bytes differ from the manifest."""
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"The backup lacks {member}.")
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    if digest.hexdigest() != sha256:
        raise BackupError(f"{member} in the backup is damaged (SHA-256 does not match).")
    return size


def _safe_member(name: str) -> str:
    parts = Path(name).parts
    if not name or Path(name).is_absolute() or ".." in parts:
        raise BackupError(f"The backup names an unsafe path: {name!r}.")
    return name


def backup_restore(path: Path) -> RestoreResult:
    """Check the archive, replace the database, put every file back, then check every file."""
    result = RestoreResult()
    with _open_archive(path) as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(archive, path)
        work = Path(tmp)
        dump = work / _safe_member(str(manifest["database_member"]))
        _extract_checked(archive, dump.name, str(manifest["database_sha256"]), dump)
        staged = []
        for entry in manifest["files"]:
            name = _safe_member(str(entry["name"]))
            local = work / "files" / name
            result.bytes += _extract_checked(
                archive, FILES_PREFIX + name, str(entry["sha256"]), local
            )
            staged.append((name, local, str(entry["sha256"])))
        _restore_database(dump)
        for name, local, sha256 in staged:
            _put_file(name, local, sha256)
            result.files += 1
    result.problems = run_file_checks()
    return result


def _put_file(name: str, local: Path, sha256: str) -> None:
    if default_storage.exists(name):
        if storage_sha256(name) == sha256:
            return
        default_storage.delete(name)
    with local.open("rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:
        raise BackupError(f"The storage renamed {name} to {saved}; restore into an empty store.")


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        _restore_sqlite(dump)
    elif connection.vendor == "postgresql":
        _restore_postgres(dump)
    else:
        raise BackupError(f"Restoring {connection.vendor} is not supported.")


def _restore_sqlite(dump: Path) -> None:
    try:
        with sqlite3.connect(f"file:{dump}?mode=ro", uri=True) as source:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The database in the backup is damaged (integrity check).")
            connection.ensure_connection()
            source.backup(connection.connection)
        source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database in the backup is not SQLite: {exc}") from exc


def _restore_postgres(dump: Path) -> None:
    exe = shutil.which("pg_restore")
    if exe is None:
        raise BackupError("pg_restore is not installed.")
    name = str(connection.settings_dict["NAME"])
    connection.close()
    argv, env = _pg_args(
        exe, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", name
    )
    result = subprocess.run(  # noqa: S603
        [*argv, str(dump)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()[-500:]}")


def recorded_files_check(model: Any, label: str, *, exclude: dict[str, Any] | None = None) -> Any:
    """A file check for a model whose rows keep ``file`` and its ``sha256``."""

    def check() -> list[str]:
        problems = []
        rows = model._default_manager.exclude(**(exclude or {})).order_by("pk")
        for pk, name, sha256 in rows.values_list("pk", "file", "sha256").iterator():
            if not name:
                continue
            if not default_storage.exists(name):
                problems.append(f"{label} {pk}: file missing")
            elif storage_sha256(name) != sha256:
                problems.append(f"{label} {pk}: file hash does not match")
        return problems

    return check


def referenced_files_check(model: Any, label: str) -> Any:
    """A file check for a model whose rows name a ``file`` without a recorded hash: the
    archive's own SHA-256 vouched for its bytes, this check that every named file is back."""

    def check() -> list[str]:
        rows = model._base_manager.exclude(file="").order_by("pk").values_list("pk", "file")
        return [
            f"{label} {pk}: file missing"
            for pk, name in rows.iterator()
            if not default_storage.exists(name)
        ]

    return check
