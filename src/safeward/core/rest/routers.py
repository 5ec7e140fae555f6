"""The router every app's ``api/urls.py`` registers its viewsets on."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import DefaultRouter

# A primary key as the URL may carry it: 1 to 18 digits, so every id the database can
# hold (a 64-bit integer) and nothing past it; anything else answers 404 before the view.
ID_REGEX = r"[1-9][0-9]{0,17}"


class Router(DefaultRouter):
    """A ``DefaultRouter`` whose detail routes take only numeric ids.

    A viewset that looks objects up by another field declares its own
    ``lookup_value_regex``; one that keeps the default ``pk``/``id`` lookup gets
    :data:`ID_REGEX`, so ``/reports/abc/close/`` is a 404 on every method.
    """

    def get_method_map(self, viewset: Any, method_map: Any) -> dict[str, str]:
        # A viewset switches off an inherited action by setting it to ``None``: the route
        # then neither answers nor advertises (``Allow``) that method.
        bound = super().get_method_map(viewset, method_map)
        return {
            method: name for method, name in bound.items() if getattr(viewset, name) is not None
        }

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        field = getattr(viewset, "lookup_field", "pk")
        if "lookup_value_regex" in _declared(viewset) or field not in {"pk", "id"}:
            return super().get_lookup_regex(viewset, lookup_prefix)
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or field
        return f"(?P<{lookup_prefix}{kwarg}>{ID_REGEX})"


def _declared(viewset: Any) -> set[str]:
    names: set[str] = set()
    for klass in viewset.__mro__:
        names.update(vars(klass))
    return names
