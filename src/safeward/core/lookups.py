"""The ``subtree`` lookup on materialised paths: ``unit__path__subtree="/1/23/"``.

Paths look like ``/1/23/456/`` (primary keys joined by slashes). On SQLite a
half-open range uses the plain index (LIKE with ESCAPE cannot); on PostgreSQL
a LIKE prefix uses the ``varchar_pattern_ops`` index.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


def path_upper_bound(prefix: str) -> str:
    """The smallest string greater than every path starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@models.CharField.register_lookup
class SubtreeLookup(Lookup[str]):
    lookup_name = "subtree"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} LIKE %s", [*lhs_params, prefix + "%"]
        return f"({lhs} >= %s AND {lhs} < %s)", [
            *lhs_params,
            prefix,
            *lhs_params,
            path_upper_bound(prefix),
        ]
