"""Every page declared on the generic views, checked for every persona on the demo data.

The pages are found by walking the URLconf for views built on
:mod:`safeward.core.views`, so a new page is covered by declaring it:

- a list answers 404 to a persona without its permission anywhere; otherwise it
  shows only rows ``restrict`` lets the persona see, each of which the persona may
  open, and all of them when the list opens without default filters;
- a detail, form, action or delete page on a row answers 404 for a row out of the
  persona's scope for that action, and its page otherwise; an action that is only
  posted (from a panel of the row's page) answers 404 to a post on such a row;
- each list and detail page stays within its query budget in
  ``tests/query_counts.json`` as the province admin (and says 200 with rows):
  ``SAFEWARD_UPDATE_QUERY_COUNTS=1`` rewrites the file from a run.

The full demo scenario is built once for the module (with the two rows it lacks added
through the services), inside a transaction rolled back at the end.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from safeward.core.scoping import clear_scope_cache
from safeward.core.testing import PERSONA_NAMES
from safeward.core.views import (
    ObjectDeleteView,
    ObjectListView,
    ObjectView,
    ScopedView,
    ServiceFormView,
)
from safeward.web.workqueue import forget_waiting
from tests.conftest import signed_in_client

BUDGETS = Path(__file__).resolve().parent.parent / "query_counts.json"
UPDATE = os.environ.get("SAFEWARD_UPDATE_QUERY_COUNTS") == "1"
ROWS_PER_VIEW = 3  # rows of each model a row page is opened on, spread over units


def _walk(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, str, type[ScopedView]]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            view_class = getattr(entry.callback, "view_class", None)
            if (
                isinstance(view_class, type)
                and issubclass(view_class, ScopedView)
                and view_class.queryset is not None
                and not view_class.owner_field  # a user's own rows have no scope to walk
            ):
                yield f"{prefix}{entry.name}", str(entry.pattern), view_class


DECLARED = sorted(_walk(get_resolver().url_patterns), key=lambda item: item[0])
LISTS = [(name, view) for name, pattern, view in DECLARED if issubclass(view, ObjectListView)]
ROW_VIEWS = [
    (name, view)
    for name, pattern, view in DECLARED
    if "<int:pk>" in pattern and issubclass(view, ObjectView | ServiceFormView | ObjectDeleteView)
]
ROW_PAGES = [(name, view) for name, view in ROW_VIEWS if "get" in view.http_method_names]
# Actions posted from a row's page (a panel), with no page of their own.
ROW_POSTS = [(name, view) for name, view in ROW_VIEWS if "get" not in view.http_method_names]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from safeward.demo.scenario import run_demo

    with django_db_blocker.unblock(), transaction.atomic():
        run_demo(seed=2024, log=lambda _m: None)
        _rows_the_demo_lacks()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def people(demo: None, personas: dict[str, Any]) -> dict[str, Any]:
    for user in personas.values():
        clear_scope_cache(user)
    return {name: personas[name] for name in PERSONA_NAMES if name in personas}


def _rows_the_demo_lacks() -> None:
    """A ward's own drug-free criterion and a session leaflet, through the services, so
    their pages have a row to open."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from fpdf import FPDF

    from safeward.accounts.models import User
    from safeward.community import services as community
    from safeward.geo.models import AdminUnit
    from safeward.outreach import services as outreach
    from safeward.outreach.models import Session

    admin = User.objects.get(username="province_admin")
    ward = AdminUnit.objects.get(name="Phường Cửa Ông", valid_to__isnull=True)
    community.criterion_add(admin, unit=ward, code="cua_ong_hotline", label="Đường dây nóng")
    pdf = FPDF()
    pdf.add_page()
    session = Session.objects.filter(unit__path__startswith=ward.path).order_by("pk").first()
    assert session is not None
    leaflet = SimpleUploadedFile("to-roi.pdf", bytes(pdf.output()), "application/pdf")
    outreach.material_add(admin, session=session, title="Tờ rơi", file=leaflet)
    # An import job of the admin's own (the demo's unit import has no uploader).
    from safeward.cameras.importing import CAMERAS
    from safeward.core.importing import run_import

    row = f"{ward.code},household,Hộ Lê,21.01,107.32,90\n"
    header = "unit_code,custodian_kind,custodian_label,latitude,longitude,bearing\n"
    assert run_import(admin, CAMERAS, "c.csv", (header + row).encode()).ok


def _url(name: str, pk: int | None = None) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk]) if pk is not None else reverse(name)


def _perm(view: type[ScopedView]) -> str:
    return view().get_permission()


def _may_open(view: type[ScopedView], user: Any) -> bool:
    """Whether the page opens at all for ``user``: it holds the permission somewhere, or
    the page needs none (a row's own scoping decides, as an import job's uploader's)."""
    if not view.require_permission:
        return True
    return view().has_permission(_request_for(user))


def _request_for(user: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def _row_pks(response: Any) -> list[int]:
    table = response.context["table"]
    return [row.record.pk for row in table.page.object_list]


def _scoped(view: type[ScopedView], user: Any, action: str) -> Any:
    assert view.queryset is not None
    return view.queryset.model._default_manager.all().restrict(user, action)


def _sample_rows(view: type[ScopedView]) -> list[int]:
    """A few rows of the view's model, each under a different unit where the data allows."""
    assert view.queryset is not None
    model = view.queryset.model
    path_field = getattr(model, "scope_path_field", "unit__path")
    picked: dict[str, int] = {}
    for pk, path in model._default_manager.order_by("pk").values_list("pk", path_field)[:5000]:
        ward = "/".join(str(path or "").split("/")[:4])
        picked.setdefault(ward, pk)
    return sorted(picked.values())[:ROWS_PER_VIEW] or []


def test_the_generic_views_are_declared() -> None:
    """Guards the walk itself: the pages moved onto the generic views are found."""
    names = {name for name, _pattern, _view in DECLARED}
    assert {"community:groups", "community:group", "web:units", "web:audit"} <= names


@pytest.mark.parametrize(("name", "view"), LISTS, ids=[name for name, _view in LISTS])
def test_list_shows_exactly_the_scope(
    name: str, view: type[ObjectListView], people: dict[str, Any]
) -> None:
    # A row's own page: the one behind the model's plain view permission (a report's
    # reporter page, behind its own, shows the same rows to fewer people).
    details = {
        v.queryset.model: n
        for n, v in ROW_PAGES
        if issubclass(v, ObjectView)
        and v.queryset is not None
        and _perm(v)
        == f"{v.queryset.model._meta.app_label}.view_{v.queryset.model._meta.model_name}"
    }
    for persona, user in people.items():
        client = signed_in_client(user)
        response = client.get(_url(name), {"per_page": 200})
        if not _may_open(view, user):
            assert response.status_code == 404, (persona, response.status_code)
            continue
        assert response.status_code == 200, (persona, response.content[:300])
        shown = _row_pks(response)
        visible = _scoped(view, user, view.action)
        assert set(shown) <= set(visible.filter(pk__in=shown).values_list("pk", flat=True)), persona
        if not view.filter_defaults:
            assert response.context["page"].paginator.count == visible.count(), persona
        detail = details.get(view.queryset.model)  # type: ignore[union-attr]
        for pk in shown[:2]:
            if detail:
                opened = client.get(_url(detail, pk))
                assert opened.status_code == 200, (persona, detail, pk)


@pytest.mark.parametrize(("name", "view"), ROW_PAGES, ids=[name for name, _view in ROW_PAGES])
def test_row_pages_are_404_outside_the_scope(
    name: str, view: type[ScopedView], people: dict[str, Any]
) -> None:
    rows = _sample_rows(view)
    assert rows, f"the demo has no {view.queryset.model._meta.verbose_name}"  # type: ignore[union-attr]
    for persona, user in people.items():
        client = signed_in_client(user)
        allowed = set(
            _scoped(view, user, view.action).filter(pk__in=rows).values_list("pk", flat=True)
        )
        permitted = _may_open(view, user)
        for pk in rows:
            response = client.get(_url(name, pk))
            if permitted and pk in allowed:
                assert response.status_code == 200, (persona, pk, response.status_code)
            else:
                assert response.status_code == 404, (persona, pk, response.status_code)
    assert rows


@pytest.mark.parametrize(("name", "view"), ROW_POSTS, ids=[name for name, _view in ROW_POSTS])
def test_posted_actions_are_404_outside_the_scope(
    name: str, view: type[ScopedView], people: dict[str, Any]
) -> None:
    rows = _sample_rows(view)
    assert rows, f"the demo has no {view.queryset.model._meta.verbose_name}"  # type: ignore[union-attr]
    for persona, user in people.items():
        client = signed_in_client(user)
        allowed = set(
            _scoped(view, user, view.action).filter(pk__in=rows).values_list("pk", flat=True)
        )
        permitted = _may_open(view, user)
        for pk in rows:
            if permitted and pk in allowed:
                continue  # posting would act on the demo data the other tests read
            response = client.post(_url(name, pk), {})
            assert response.status_code == 404, (persona, pk, response.status_code)


def _budgets() -> dict[str, int]:
    return json.loads(BUDGETS.read_text()) if BUDGETS.exists() else {}


MEASURED: dict[str, int] = {}


@pytest.mark.parametrize(
    ("name", "view"),
    [*LISTS, *[(n, v) for n, v in ROW_PAGES if issubclass(v, ObjectView)]],
    ids=[n for n, _v in [*LISTS, *[(n, v) for n, v in ROW_PAGES if issubclass(v, ObjectView)]]],
)
def test_query_budget(name: str, view: type[ScopedView], people: dict[str, Any]) -> None:
    user = people["province_admin"]
    pk = None
    if not issubclass(view, ObjectListView):
        rows = _sample_rows(view)
        assert rows, f"the demo has no {view.queryset.model._meta.verbose_name}"  # type: ignore[union-attr]
        # The province's administrator, unless the row is someone's own (an import job
        # is its uploader's): then the first persona who sees one.
        seen = [
            (pk, u)
            for u in [user, *people.values()]
            for pk in rows
            if _scoped(view, u, view.action).filter(pk=pk).exists()
        ]
        assert seen, f"no persona sees any of {name} {rows}"
        pk, user = seen[0]
    client = signed_in_client(user)
    url = _url(name, pk)
    # Warm the scope cache, the session and the menu's waiting counts (kept per user for
    # 30 s), as a user's second page is: counts left by an earlier test would expire at
    # a moment that depends on the machine's speed and add a query to the measured page.
    forget_waiting(user.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    if issubclass(view, ObjectListView):
        assert _row_pks(response), f"{name} shows no rows on the demo data"
    count = len(queries)
    if UPDATE:
        budgets = _budgets()
        budgets[name] = count
        BUDGETS.write_text(json.dumps(dict(sorted(budgets.items())), indent=2) + "\n")
        return
    budget = _budgets().get(name)
    assert budget is not None, (
        f"{name} has no query budget in {BUDGETS.name}; "
        "run with SAFEWARD_UPDATE_QUERY_COUNTS=1 to record it"
    )
    assert count <= budget, f"{name}: {count} queries, budget {budget}"
