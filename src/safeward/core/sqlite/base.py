"""Django's SQLite backend, with write transactions queued on a lock file.

Every transaction SafeWard opens on SQLite starts with ``BEGIN IMMEDIATE`` (it takes the
write lock at once, so two writers never deadlock upgrading a read lock). When the
lock is taken, SQLite's busy handler sleeps 1, 2, 5, 10, ... 25, 50, 100 ms between
attempts: under load, waiting writers mostly sleep while the lock is already free,
and the request that happens to retry first wins. Here a writer first takes this
process's lock for the database (waiting threads are woken as soon as it is
free), then an exclusive ``flock`` on ``<database>.writelock`` shared by every
process, polled from 0.2 ms backing off to 2 ms, and only then sends ``BEGIN
IMMEDIATE``; both are released after ``COMMIT`` or ``ROLLBACK``. Statements outside
a transaction, and other programs opening the file, still meet SQLite's own lock and
busy timeout, so correctness never rests on the lock file.

Both waits give up after the connection's ``timeout`` with SQLite's own error
("database is locked"), so a transaction that waits on another connection of its
own cannot hang. In-memory databases (the test runner's) are left alone.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from safeward.core.sqlite.schema import DatabaseSchemaEditor

_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()
POLL_SECONDS = 0.0002
POLL_MAX_SECONDS = 0.002


def _process_lock(path: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_fd: int | None = None
        self._write_held: threading.Lock | None = None

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writelock"

    def _wait_seconds(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _acquire_write(self) -> None:
        path = self._lock_path()
        if path is None or self._write_held is not None:
            return
        deadline = time.monotonic() + self._wait_seconds()
        local = _process_lock(path)
        if not local.acquire(timeout=self._wait_seconds()):
            raise OperationalError("database is locked")
        try:
            # Opened per transaction: a connection dropped without closing leaks no descriptor.
            self._write_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            pause = POLL_SECONDS
            while True:
                try:
                    fcntl.flock(self._write_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationalError("database is locked") from None
                    time.sleep(pause)
                    pause = min(pause * 2, POLL_MAX_SECONDS)
        except BaseException:
            self._close_fd()
            local.release()
            raise
        self._write_held = local

    def _release_write(self) -> None:
        held, self._write_held = self._write_held, None
        if held is None:
            return
        try:
            self._close_fd()  # closing the descriptor releases its flock
        finally:
            held.release()

    def _close_fd(self) -> None:
        fd, self._write_fd = self._write_fd, None
        if fd is not None:
            os.close(fd)

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_write()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write()
