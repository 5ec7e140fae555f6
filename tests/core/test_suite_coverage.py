"""Every API viewset registered in the URLconf is covered by the permission suite.

The viewsets are found by walking the URLconf, so a new endpoint fails here until
its model has a :class:`~safeward.core.testing.PermissionSuite` (or a reason it needs
none in ``NOT_SCOPED``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from safeward.core.api import ScopedViewSet
from safeward.core.testing import PermissionSuite

TESTS = Path(__file__).resolve().parent.parent
# Models behind a viewset that the unit-scoped suite cannot describe, each with why.
NOT_SCOPED: dict[str, str] = {}


def _viewsets(entries: list[Any]) -> Iterator[type[Any]]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            yield from _viewsets(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if isinstance(cls, type):
                yield cls


def _suites() -> set[type[Any]]:
    for path in sorted(TESTS.glob("*/test_*.py")):
        if "PermissionSuite)" in path.read_text(encoding="utf-8"):
            importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
    found: set[type[Any]] = set()
    stack = list(PermissionSuite.__subclasses__())
    while stack:
        cls = stack.pop()
        found.add(cls)
        stack.extend(cls.__subclasses__())
    return {getattr(cls, "model", None) for cls in found} - {None}  # type: ignore[return-value]


def test_every_scoped_viewset_model_has_a_permission_suite() -> None:
    models = {
        cls.model
        for cls in _viewsets(get_resolver().url_patterns)
        if issubclass(cls, ScopedViewSet) and getattr(cls, "model", None) is not None
    }
    assert len(models) >= 20  # the walk itself finds the endpoints
    covered = _suites()
    missing = sorted(m._meta.label for m in models - covered if m._meta.label not in NOT_SCOPED)
    assert not missing, f"viewsets without a permission suite: {missing}"
