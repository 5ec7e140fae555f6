"""The permission action a scoped endpoint checks comes from the viewset action, not the verb."""

from __future__ import annotations

import pytest
from rest_framework.test import APIRequestFactory

from safeward.community.api.views import GroupViewSet, MovementModelViewSet
from safeward.geo.api.views import AdminUnitViewSet


def scope_for(viewset: type, action: str, method: str, *, detail: bool) -> str:
    view = viewset()
    view.action = action
    view.detail = detail
    view.request = getattr(APIRequestFactory(), method.lower())("/")
    return view.scope_action()


@pytest.mark.parametrize(
    ("action", "method", "detail", "expected"),
    [
        ("list", "GET", False, "view"),
        ("retrieve", "GET", True, "view"),
        ("create", "POST", False, "add"),
        ("update", "PUT", True, "change"),
        ("partial_update", "PATCH", True, "change"),
        ("destroy", "DELETE", True, "delete"),
        ("children", "GET", True, "view"),
        # a custom write on an existing record is a change, not an "add"
        ("anything", "POST", True, "change"),
        ("bulk", "POST", False, "add"),
    ],
)
def test_scope_follows_the_viewset_action(action, method, detail, expected):
    assert scope_for(AdminUnitViewSet, action, method, detail=detail) == expected


def test_declared_scopes_win():
    # copying a movement model is a read of the original
    assert scope_for(MovementModelViewSet, "replicate", "POST", detail=True) == "view"
    assert scope_for(GroupViewSet, "set_status", "POST", detail=True) == "change"
