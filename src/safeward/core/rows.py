"""Appending one row on a hot path: an INSERT compiled once per model, not once per call.

``Model.save()`` builds and compiles a fresh INSERT on every call, about a third of a
millisecond per row. Append-only rows written on every request (a report, its
timeline event, its audit event, its idempotency record) go through :func:`insert`
instead: the statement Django compiles for the model is kept per database, and each
call only converts the instance's values the way ``save()`` would (``pre_save``, then
``get_db_prep_save``) and executes it. Signals are not sent, so it is only for models
nothing listens to; the scope cache's listeners (``core.scoping``) never watch them.

:func:`insert_linked` writes a row with the rows that point at it (a report with its
timeline, audit and idempotency rows). On PostgreSQL that is one statement, the
dependent rows reading the new key from a data-modifying ``WITH``, so a submission
costs one round trip to the server instead of one per row. Elsewhere it is one
INSERT per row in one transaction, every value prepared before the first, so
SQLite's write lock is held for the statements alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)
P = ParamSpec("P")
_compiled: dict[tuple[str, str], tuple[str, list[Field[Any, Any]]]] = {}


def _insert_fields(obj: Model) -> list[Field[Any, Any]]:
    """The columns an INSERT of a new ``obj`` names (all but the database-assigned key)."""
    meta = obj._meta
    return [
        f
        for f in meta.local_concrete_fields
        if f is not meta.auto_field and not getattr(f, "generated", False)
    ]


def _statement(obj: Model, alias: str) -> tuple[str, list[Field[Any, Any]]]:
    meta = obj._meta
    key = (meta.label_lower, alias)
    found = _compiled.get(key)
    if found is None:
        fields = _insert_fields(obj)
        query = InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = meta.db_returning_fields
        [(sql, _params)] = compiler.as_sql()
        found = _compiled[key] = (sql, fields)
    return found


def _simple(obj: Model, connection: Any) -> bool:
    """Whether ``obj`` can take the compiled path (a new row, no parents, RETURNING)."""
    return (
        obj.pk is None
        and not obj._meta.parents
        and connection.features.can_return_columns_from_insert
    )


def _params(obj: Model, fields: list[Field[Any, Any]], connection: Any) -> list[Any] | None:
    """The values ``save()`` would send, or None when one is an expression."""
    values = [f.pre_save(obj, True) for f in fields]
    if any(hasattr(v, "resolve_expression") for v in values):
        return None
    return [
        f.get_db_prep_save(v, connection=connection) for f, v in zip(fields, values, strict=True)
    ]


def _linked_params(obj: Model, fields: list[Field[Any, Any]], connection: Any) -> list[Any]:
    params = _params(obj, fields, connection)
    if params is None:
        raise TypeError(f"{obj._meta.label}: expressions cannot be inserted with linked rows")
    return params


def _saved(obj: Model, pk: Any, alias: str) -> None:
    obj.pk = obj._meta.pk.to_python(pk)
    obj._state.adding = False
    obj._state.db = alias


def insert(obj: M) -> M:
    """INSERT ``obj`` (a new instance whose primary key the database assigns); returns it saved."""
    alias = router.db_for_write(type(obj), instance=obj)
    connection = connections[alias]
    if _simple(obj, connection):
        sql, fields = _statement(obj, alias)
        params = _params(obj, fields, connection)
        if params is not None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                _saved(obj, cursor.fetchone()[0], alias)
            return obj
    obj.save(force_insert=True)
    return obj


def appending(build: Callable[P, M], name: str, doc: str) -> Callable[P, M]:
    """A function that inserts what ``build`` returns (an unsaved row) and returns it saved."""

    def append(*args: P.args, **kwargs: P.kwargs) -> M:
        return insert(build(*args, **kwargs))

    append.__name__ = append.__qualname__ = name
    append.__doc__ = doc
    return append


@dataclass(frozen=True)
class Linked:
    """A new row some of whose fields take the head row's new primary key.

    ``key_fields`` hold the key itself (a foreign key's attname); ``key_text_fields``
    hold it as text (an audit event's object id).
    """

    obj: Model
    key_fields: tuple[str, ...] = ()
    key_text_fields: tuple[str, ...] = ()


def insert_linked(head: Model, linked: Iterable[Linked]) -> None:
    """INSERT ``head`` (a new row with a database-assigned key), then the rows linked to it.

    All or none are written, also outside a transaction. Every value is prepared
    before the first statement, so a database that locks for writing (SQLite) is
    held only for the statements themselves.
    """
    rows = list(linked)
    alias = router.db_for_write(type(head), instance=head)
    connection = connections[alias]
    if not all(_simple(obj, connection) for obj in [head, *(r.obj for r in rows)]):
        with transaction.atomic(using=alias, savepoint=False):
            insert(head)
            for row in rows:
                _take_key(row, head.pk)
                insert(row.obj)
        return
    if connection.vendor == "postgresql":
        _insert_one_statement(head, rows, alias)
    else:
        _insert_prepared(head, rows, alias)
    for row in rows:
        _take_key(row, head.pk)


def _insert_one_statement(head: Model, rows: list[Linked], alias: str) -> None:
    connection = connections[alias]
    sql, columns = _linked_statement(head, rows, alias)
    params = [p for obj, fields in columns for p in _linked_params(obj, fields, connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchone()
    for obj, pk in zip([head, *(r.obj for r in rows)], returned, strict=True):
        _saved(obj, pk, alias)


def _insert_prepared(head: Model, rows: list[Linked], alias: str) -> None:
    connection = connections[alias]
    statements = []
    for obj, keyed, texted in [
        (head, (), ()),
        *((r.obj, r.key_fields, r.key_text_fields) for r in rows),
    ]:
        sql, fields = _statement(obj, alias)
        params = _linked_params(obj, fields, connection)
        slots = [
            (i, f.attname in texted) for i, f in enumerate(fields) if f.attname in (*keyed, *texted)
        ]
        statements.append((obj, sql, params, slots))
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        pk = None
        for obj, sql, params, slots in statements:
            for i, as_text in slots:
                params[i] = str(pk) if as_text else pk
            cursor.execute(sql, params)
            returned = cursor.fetchone()[0]
            if obj is head:
                pk = returned
            _saved(obj, returned, alias)


def _take_key(row: Linked, pk: Any) -> None:
    for name in row.key_fields:
        setattr(row.obj, name, pk)
    for name in row.key_text_fields:
        setattr(row.obj, name, str(pk))


_linked: dict[tuple[Any, ...], tuple[str, list[list[Field[Any, Any]]]]] = {}


def _linked_statement(head: Model, rows: list[Linked], alias: str) -> tuple[str, list[Any]]:
    """``WITH h0 AS (INSERT head RETURNING key), h1 AS (INSERT ... (SELECT key FROM h0) ...)``.

    Returns the statement and, per row, the object with the fields bound as parameters.
    """
    objs = [head, *(r.obj for r in rows)]
    links = [((), ()), *((r.key_fields, r.key_text_fields) for r in rows)]
    key = (alias, *((o._meta.label_lower, *link) for o, link in zip(objs, links, strict=True)))
    found = _linked.get(key)
    if found is None:
        q = connections[alias].ops.quote_name
        parts, bound_fields = [], []
        for n, (obj, (keyed, texted)) in enumerate(zip(objs, links, strict=True)):
            meta = obj._meta
            fields = _insert_fields(obj)
            values, bound = [], []
            for f in fields:
                if f.attname in keyed:
                    values.append("(SELECT sw_key FROM h0)")
                elif f.attname in texted:
                    values.append("(SELECT CAST(sw_key AS text) FROM h0)")
                else:
                    values.append("%s")
                    bound.append(f)
            names = ", ".join(q(f.column) for f in fields)
            parts.append(
                f"h{n} AS (INSERT INTO {q(meta.db_table)} ({names}) VALUES ({', '.join(values)})"
                f" RETURNING {q(meta.pk.column)} AS sw_key)"
            )
            bound_fields.append(bound)
        tables = range(len(parts))
        sql = (
            f"WITH {', '.join(parts)} SELECT {', '.join(f'h{n}.sw_key' for n in tables)}"
            f" FROM {', '.join(f'h{n}' for n in tables)}"
        )
        found = _linked[key] = (sql, bound_fields)
    return found[0], list(zip(objs, found[1], strict=True))
