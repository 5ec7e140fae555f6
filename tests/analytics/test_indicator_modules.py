"""Indicators live in their apps' ``indicators.py``: all found at start-up, none lost, none
reading another app's tables from analytics."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

import safeward.analytics
from safeward.analytics import registry
from safeward.analytics.dashboards import default_indicator, headline_order
from safeward.analytics.registry import Aggregation, Kind

FLOW, STOCK = Kind.FLOW, Kind.STOCK
COUNT, SUM, DISTINCT, MEDIAN = (
    Aggregation.COUNT,
    Aggregation.SUM,
    Aggregation.DISTINCT,
    Aggregation.MEDIAN,
)
RATE, RATIO = Aggregation.RATE_PER_1000, Aggregation.RATIO

# Every indicator of the product, with its kind and aggregation: a code lost, renamed or
# turned from a flow into a stock in a move fails here (figures and exports depend on them).
FROZEN: dict[str, tuple[str, str]] = {
    "bulletins.answer_share": (FLOW, RATIO),
    "bulletins.answers": (FLOW, COUNT),
    "bulletins.reached": (FLOW, COUNT),
    "bulletins.sent": (FLOW, COUNT),
    "cameras.funds_raised_to_date": (STOCK, SUM),
    "cameras.funds_spent_to_date": (STOCK, SUM),
    "cameras.money_raised": (FLOW, SUM),
    "cameras.neighbourhoods_covered": (STOCK, DISTINCT),
    "cameras.registered": (STOCK, COUNT),
    "cameras.working": (STOCK, COUNT),
    "community.groups": (FLOW, COUNT),
    "community.groups_active": (STOCK, SUM),
    "community.households_covered": (FLOW, SUM),
    "community.members": (FLOW, COUNT),
    "community.members_active": (STOCK, SUM),
    "community.models_active": (STOCK, COUNT),
    "community.movement_models": (FLOW, COUNT),
    "community.neighbourhoods_assessed": (FLOW, DISTINCT),
    "community.neighbourhoods_fortress": (FLOW, DISTINCT),
    "community.patrol_hours": (FLOW, SUM),
    "evidence.requests_answered": (FLOW, COUNT),
    "evidence.requests_declined": (FLOW, COUNT),
    "evidence.requests_sent": (FLOW, COUNT),
    "outreach.attendees": (FLOW, SUM),
    "outreach.course_completion_share": (FLOW, RATIO),
    "outreach.course_completions": (FLOW, COUNT),
    "outreach.course_participants": (FLOW, COUNT),
    "outreach.courses": (FLOW, COUNT),
    "outreach.sessions": (FLOW, COUNT),
    "outreach.social_reach": (FLOW, SUM),
    "reports.median_days": (FLOW, MEDIAN),
    "reports.on_time": (FLOW, COUNT),
    "reports.on_time_share": (FLOW, RATIO),
    "reports.open": (STOCK, SUM),
    "reports.overdue": (STOCK, SUM),
    "reports.received": (FLOW, COUNT),
    "reports.resolved": (FLOW, COUNT),
    "reports.violations_confirmed": (FLOW, COUNT),
    "reports.violations_per_1000": (FLOW, RATE),
}

# The figures a province reports, in the order a dashboard shows them first.
HEADLINE_FIRST = [
    "community.groups_active",
    "community.members_active",
    "community.models_active",
    "cameras.registered",
    "cameras.working",
    "cameras.neighbourhoods_covered",
    "cameras.funds_raised_to_date",
    "cameras.funds_spent_to_date",
    "reports.open",
    "reports.overdue",
    "reports.received",
    "reports.violations_confirmed",
    "reports.on_time_share",
    "outreach.sessions",
    "outreach.attendees",
]


def _product_indicators() -> list[registry.Indicator]:
    return [i for i in registry.all_indicators() if i.app != "analytics"]


def test_the_registered_indicators_are_the_frozen_set() -> None:
    found = {i.code: (str(i.kind), str(i.aggregation)) for i in _product_indicators()}
    assert found == {code: (str(k), str(a)) for code, (k, a) in FROZEN.items()}


def test_each_indicator_is_declared_by_its_own_app() -> None:
    for indicator in _product_indicators():
        app = indicator.code.split(".")[0]
        assert indicator.app == app, indicator.code
        assert apps.is_installed(f"safeward.{app}")
        source = indicator.source or indicator.fact_query
        if source is not None:
            assert source.__module__ in (
                f"safeward.{app}.indicators",
                "safeward.analytics.registry",
            )


def test_autodiscover_finds_every_indicators_module_and_is_idempotent() -> None:
    before = registry.all_indicators()
    found = registry.autodiscover()
    assert sorted(found) == sorted(
        f"safeward.{app}.indicators" for app in {i.app for i in _product_indicators()}
    )
    assert registry.all_indicators() == before


def test_a_lost_indicator_is_brought_back_by_autodiscover() -> None:
    kept = registry.get("cameras.registered")
    registry.unregister("cameras.registered")
    try:
        assert registry.get("cameras.registered") is None
        registry.autodiscover()
        assert registry.get("cameras.registered") is not None
    finally:
        if registry.get("cameras.registered") is None and kept is not None:
            registry.register(kept)


def test_dashboards_show_the_province_figures_first_and_open_on_reports_received() -> None:
    ordered = [i.code for i in sorted(_product_indicators(), key=headline_order)]
    assert ordered[: len(HEADLINE_FIRST)] == HEADLINE_FIRST
    found = default_indicator()
    assert found is not None and found.code == "reports.received"


ENGINE = Path(safeward.analytics.__file__).parent
FOUNDATION = {"analytics", "core", "geo", "accounts", "web", "demo", "config"}


def _names_used(path: Path) -> set[str]:
    """Every ``safeward.<app>`` module the file imports and every ``"<app>.<model>"`` literal."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found


@pytest.mark.parametrize(
    "path",
    sorted(p for p in ENGINE.rglob("*.py") if "migrations" not in p.parts),
    ids=lambda p: str(p.relative_to(ENGINE)),
)
def test_analytics_reads_no_domain_app(path: Path) -> None:
    domain = {
        c.label for c in apps.get_app_configs() if c.name.startswith("safeward.")
    } - FOUNDATION
    for name in _names_used(path):
        head = name.removeprefix("safeward.").split(".")[0]
        dotted = name.startswith("safeward.") or (
            "." in name and " " not in name and name.split(".")[1:2] != [""]
        )
        assert not (dotted and head in domain), (str(path), name)
    assert "get_model(" not in path.read_text() or path.name == "freshness.py"


def test_every_indicator_source_reads_its_module(db: Any) -> None:
    for indicator in registry.stored_indicators():
        assert indicator.source is not None
        list(indicator.source(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))


def test_derived_indicators_point_at_registered_ones() -> None:
    for indicator in registry.all_indicators():
        for code in (indicator.numerator, indicator.denominator):
            assert not code or registry.get(code) is not None, (indicator.code, code)


def test_report_dimensions_have_readable_names(db: Any) -> None:
    indicator = registry.get("reports.received")
    assert indicator is not None
    with translation.override("en"):
        assert indicator.value_labels("track")["crime_tip"] == "Crime tip"
    assert isinstance(indicator.value_labels("category"), dict)
    assert indicator.value_labels("no_such_dimension") == {}


def test_report_indicators_grouped_in_sql_equal_the_python_facts(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from dataclasses import replace

    from django.utils import timezone

    from safeward.analytics.rollups import rebuild_indicator
    from safeward.reports.services import category_by_code, report_resolve, report_submit

    from .conftest import rollup_snapshot

    unit = demo_units["cam_thinh_khu1_2025"]
    for code, year in (("theft", 2023), ("theft", 2025), ("noise", 2025)):
        report = report_submit(
            None,
            category=category_by_code(code),
            description="Mất xe máy trước cửa nhà",
            channel="web",
            latitude=unit.centroid_lat,
            longitude=unit.centroid_lon,
            occurred_at=timezone.make_aware(dt.datetime(year, 3, 4, 23, 30)),
        ).report
    report_resolve(personas["ward_officer"], report, outcome="warning", public_note="Đã nhắc nhở")
    for code in ("reports.received", "reports.resolved", "reports.violations_confirmed"):
        indicator = registry.get(code)
        assert indicator is not None and indicator.aggregates_in_sql
        assert rebuild_indicator(indicator) > 0
        in_sql = rollup_snapshot()
        rebuild_indicator(replace(indicator, fact_query=None))
        assert rollup_snapshot() == in_sql, code


def test_session_dimensions_have_readable_names() -> None:
    """A breakdown of sessions by topic or form names them, not their stored codes."""
    for code in ("outreach.sessions", "outreach.attendees"):
        indicator = registry.get(code)
        assert indicator is not None
        with translation.override("vi"):
            assert indicator.value_labels("topic")["drugs"] == "Phòng, chống ma túy"
            assert indicator.value_labels("form")["in_person"] != "in_person"


def _our_translations(lang: str) -> dict[str, set[str]]:
    """``{msgid (with its context): translations}`` from SafeWard's own catalogues."""
    import gettext

    root = Path(safeward.analytics.__file__).parents[1]
    found: dict[str, set[str]] = {}
    for path in root.glob(f"**/locale/{lang}/LC_MESSAGES/django.mo"):
        with path.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
        for key, text in catalog.items():
            if isinstance(key, str) and key and text:
                found.setdefault(key, set()).add(text)
    return found


def _msgid(text: Any) -> str | None:
    """The message id behind a lazy translation (with its context), None for plain text."""
    args = getattr(text, "_args", None)
    if not args:
        return None
    return args[0] if len(args) == 1 else f"{args[0]}\x04{args[1]}"


@pytest.mark.parametrize("lang", ["vi", "ar"])
def test_every_indicator_text_is_translated_by_safeward(lang: str) -> None:
    """Names, units, notes and dimension names read in the user's language, as SafeWard words
    them: not the English key, and not another package's word for the same key (Django's own
    catalogue turns a bare "sessions" into "session")."""
    ours = _our_translations(lang)
    wrong = []
    with translation.override(lang):
        for indicator in _product_indicators():
            texts = [indicator.name, indicator.unit_of_measure, indicator.note]
            texts += [indicator.dimension_names.get(d, d) for d in indicator.dimensions]
            for text in texts:
                if not text:
                    continue
                msgid = _msgid(text)
                if msgid is None or str(text) not in ours.get(msgid, set()):
                    wrong.append((indicator.code, str(text)))
    assert wrong == []


def test_every_dimension_has_readable_values(db: Any) -> None:
    """A breakdown names what it breaks down by and (except the seeded categories) its values."""
    for indicator in _product_indicators():
        for dimension in indicator.dimensions:
            assert indicator.dimension_name(dimension) != dimension, (indicator.code, dimension)
            if dimension != "category":
                assert indicator.value_labels(dimension), (indicator.code, dimension)
