"""The generic permission suite: register a model and endpoint once, every persona is checked.

Subclass :class:`PermissionSuite` in ``tests/<app>/test_permissions.py``::

    class TestUnitPermissions(PermissionSuite):
        model = AdminUnit
        basename = "unit"
        def make_object(self, unit): ...
        def create_payload(self, unit): ...
        def update_payload(self, obj): ...

For each persona (``safeward.demo.foundation.PERSONAS``) and each placement
(a unit inside Cửa Ông ward, one in Bãi Cháy, one recorded before July 2025
in Cẩm Thịnh), the suite computes what the persona should be allowed with an
oracle that walks parents and successions in Python (independent of
``restrict``), then checks list, detail, create, update and delete over the API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safeward.core.units import unit_tree

if TYPE_CHECKING:
    from safeward.accounts.models import User

PERSONA_NAMES = [
    "province_admin",
    "city_officer",
    "ward_officer",
    "other_ward_officer",
    "front_member",
    "group_leader",
    "mentor",
    "analyst",
    "resident",
    "outsider",
]
PLACEMENTS = ["cam_thinh_khu1_2025", "bai_chay_khu", "cam_thinh_khu1"]


def oracle(user: User, perm: str, unit: Any) -> bool:
    """Does ``user`` hold ``perm`` over ``unit``? Walks parents and successions in plain Python."""
    tree = unit_tree()
    if user.is_superuser:
        return True
    preds: dict[int, set[int]] = {}
    for pred, succ in tree.succession_links():
        preds.setdefault(succ, set()).add(pred)
    chain: set[int] = set()
    node: Any = unit
    while node is not None:
        chain.add(node.pk)
        node = (
            tree.model._default_manager.filter(pk=node.parent_id).first()
            if node.parent_id
            else None
        )
    today = timezone.localdate()
    for a in user.assignments.select_related("role"):
        if (
            a.valid_from > today
            or (a.valid_to and a.valid_to < today)
            or perm not in a.role.permissions
        ):
            continue
        allowed, frontier = {a.unit_id}, [a.unit_id]
        while frontier:
            nxt = [p for u in frontier for p in preds.get(u, ()) if p not in allowed]
            allowed.update(nxt)
            frontier = nxt
        if chain & allowed:
            return True
    return False


# Which ``supports`` entries each generic test needs; a test needing none of them is not collected.
TEST_NEEDS = {
    "test_list_and_detail_show_exactly_the_scope": {"list", "detail"},
    "test_create_only_inside_scope": {"create"},
    "test_update_and_delete_only_inside_scope": {"update", "delete"},
}


def generate_placements(metafunc: Any) -> None:
    """``pytest_generate_tests`` for suites: one case per placement the model uses."""
    cls = metafunc.cls
    if (
        cls is not None
        and issubclass(cls, PermissionSuite)
        and "placement" in metafunc.fixturenames
    ):
        metafunc.parametrize("placement", cls.placements)


def drop_unsupported(items: list[Any]) -> list[Any]:
    """Generic tests for actions a suite's endpoint does not offer (the rest are kept)."""
    dropped = []
    for item in items:
        cls = getattr(item, "cls", None)
        needs = TEST_NEEDS.get(getattr(item, "originalname", ""))
        if (
            cls is not None
            and issubclass(cls, PermissionSuite)
            and needs
            and not needs & set(cls.supports)
        ):
            dropped.append(item)
    return dropped


class PermissionSuite:
    model: ClassVar[type[Model]]
    basename: ClassVar[str]
    placements: ClassVar[list[str]] = PLACEMENTS
    personas: ClassVar[list[str]] = PERSONA_NAMES
    list_params: ClassVar[dict[str, Any]] = {}
    supports: ClassVar[tuple[str, ...]] = ("list", "detail", "create", "update", "delete")
    create_format: ClassVar[str] = "json"  # "multipart" for endpoints that take a file
    # Records attached to an existing parent (a file on a 2023 session) may be added under a
    # unit dissolved since; new top-level records may not.
    creates_under_dissolved_units: ClassVar[bool] = False

    # --- what a subclass provides ---------------------------------------------------------
    def make_object(self, unit: Any) -> Model:
        raise NotImplementedError

    def create_payload(self, unit: Any) -> dict[str, Any]:
        raise NotImplementedError

    def update_payload(self, obj: Model) -> dict[str, Any]:
        raise NotImplementedError

    def unit_of(self, obj: Model) -> Any:
        return obj.unit  # type: ignore[attr-defined]

    def perm(self, action: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    # --- helpers --------------------------------------------------------------------------
    def client_for(self, user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def _list_ids(self, client: APIClient) -> set[Any]:
        ids: set[Any] = set()
        url: str | None = reverse(f"{self.basename}-list")
        params: dict[str, Any] | None = {**self.list_params, "page_size": 500}
        while url:
            response = client.get(url, params, format="json")
            assert response.status_code == 200, response.content
            body = response.json()
            rows = body["results"] if isinstance(body, dict) and "results" in body else body
            ids.update(row["id"] for row in rows)
            url, params = (body.get("next") if isinstance(body, dict) else None), None
        return ids

    # --- the generic tests ----------------------------------------------------------------
    def test_list_and_detail_show_exactly_the_scope(
        self, personas: dict[str, Any], demo_units: dict[str, Any], placement: str
    ) -> None:
        obj = self.make_object(demo_units[placement])
        for name in self.personas:
            user = personas[name]
            expected = oracle(user, self.perm("view"), self.unit_of(obj))
            client = self.client_for(user)
            if "list" in self.supports:
                assert (obj.pk in self._list_ids(client)) == expected, f"{name} list {placement}"
            if "detail" in self.supports:
                response = client.get(reverse(f"{self.basename}-detail", args=[obj.pk]))
                assert response.status_code == (200 if expected else 404), (
                    f"{name} detail {placement}"
                )

    def test_create_only_inside_scope(
        self, personas: dict[str, Any], demo_units: dict[str, Any], placement: str
    ) -> None:
        unit = demo_units[placement]
        for name in self.personas:
            user = personas[name]
            before = self.model._default_manager.count()
            response = self.client_for(user).post(
                reverse(f"{self.basename}-list"),
                self.create_payload(unit),
                format=self.create_format,
            )
            open_unit = unit.valid_to is None or self.creates_under_dissolved_units
            if oracle(user, self.perm("add"), unit) and open_unit:
                assert response.status_code == 201, (
                    f"{name} create {placement}: {response.content!r}"
                )
            else:
                # Refused: out of scope (403/404), invalid (400), or a dissolved unit (409).
                assert response.status_code in (400, 403, 404, 409), (
                    f"{name} create {placement}: {response.status_code}"
                )
                assert self.model._default_manager.count() == before, f"{name} create left a row"

    def test_update_and_delete_only_inside_scope(
        self, personas: dict[str, Any], demo_units: dict[str, Any], placement: str
    ) -> None:
        for name in self.personas:
            user = personas[name]
            client = self.client_for(user)
            if "update" in self.supports:
                obj = self.make_object(demo_units[placement])
                unit = self.unit_of(obj)
                response = client.patch(
                    reverse(f"{self.basename}-detail", args=[obj.pk]),
                    self.update_payload(obj),
                    format="json",
                )
                assert response.status_code == self._expected(user, "change", unit), (
                    f"{name} update {placement}: {response.status_code} {response.content!r}"
                )
            if "delete" in self.supports:
                obj = self.make_object(demo_units[placement])
                unit = self.unit_of(obj)
                response = client.delete(reverse(f"{self.basename}-detail", args=[obj.pk]))
                expected = self._expected(user, "delete", unit)
                assert response.status_code == (204 if expected == 200 else expected), (
                    f"{name} delete {placement}: {response.status_code} {response.content!r}"
                )

    def _expected(self, user: User, action: str, unit: Any) -> int:
        if oracle(user, self.perm(action), unit):
            return 200
        return 403 if oracle(user, self.perm("view"), unit) else 404
