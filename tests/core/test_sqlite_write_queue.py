"""SQLite writers queue on the lock file: in order, released on commit and rollback, bounded wait.

Each test opens its own SQLite file through SafeWard's backend, so the tests run the same
whichever database the suite itself uses.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError

from safeward.core.sqlite.base import DatabaseWrapper


def wrapper(path: Path, *, timeout: float = 20) -> DatabaseWrapper:
    settings: dict[str, Any] = {
        "ENGINE": "safeward.core.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=f"queue-{path.name}")


def begin(db: DatabaseWrapper) -> None:
    """What ``transaction.atomic`` does on entering its outermost block."""
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(db: DatabaseWrapper, *, commit: bool = True) -> None:
    db.commit() if commit else db.rollback()
    db.set_autocommit(True)


@pytest.fixture(autouse=True)
def own_files(django_db_blocker: Any) -> Any:
    """These connections are to the tests' own files, not to the suite's database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "queue.sqlite3"
    db = wrapper(path)
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    db.close()
    return path


def test_second_writer_waits_for_the_first_to_commit(database: Path) -> None:
    first, order = wrapper(database), []
    begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    started = threading.Event()

    def second_writer() -> None:
        db = wrapper(database)
        started.set()
        begin(db)
        order.append("second began")
        with db.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM t")
            order.append(cursor.fetchone()[0])
        end(db)
        db.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    started.wait()
    thread.join(0.3)
    assert thread.is_alive() and order == []  # still queued behind the open transaction
    order.append("first committed")
    end(first)
    thread.join(10)
    # The second transaction began only after the commit, and saw its row.
    assert order == ["first committed", "second began", 1]
    assert Path(f"{database}.writelock").exists()
    first.close()


def test_rollback_releases_the_queue(database: Path) -> None:
    first, second = wrapper(database), wrapper(database, timeout=0.5)
    begin(first)
    end(first, commit=False)
    begin(second)  # would wait out its timeout if the rollback had kept the lock
    end(second)
    for db in (first, second):
        db.close()


def test_a_writer_gives_up_after_its_timeout(database: Path) -> None:
    first = wrapper(database)
    begin(first)
    failed: list[BaseException] = []

    def impatient() -> None:
        db = wrapper(database, timeout=0.2)
        try:
            begin(db)
        except OperationalError as exc:
            failed.append(exc)
        finally:
            db.close()

    thread = threading.Thread(target=impatient)
    thread.start()
    thread.join(10)
    assert [str(e) for e in failed] == ["database is locked"]
    end(first)
    # The queue is free again: a patient writer gets in at once.
    later = wrapper(database, timeout=0.5)
    begin(later)
    end(later)
    for db in (first, later):
        db.close()


def test_closing_mid_transaction_releases_the_queue(database: Path) -> None:
    first = wrapper(database)
    begin(first)
    first.close()
    second = wrapper(database, timeout=0.5)
    begin(second)
    end(second)
    second.close()


def test_in_memory_databases_take_no_lock_file(tmp_path: Path) -> None:
    db = wrapper(Path(":memory:"))
    begin(db)
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")
    end(db)
    assert db._write_held is None and db._write_fd is None
    db.close()
