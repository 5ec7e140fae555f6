"""The import rules of docs/development/architecture-map.md (contracts in pyproject.toml)."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter import api  # noqa: F401  (configures import-linter)
from importlinter.application import use_cases
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
CONTRACT_TYPES = {
    "forbidden": ForbiddenContract,
    "layers": LayersContract,
    "independence": IndependenceContract,
}


@pytest.fixture(scope="module")
def options() -> Any:
    return use_cases.read_user_options(str(PYPROJECT))


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("safeward", exclude_type_checking_imports=True, cache_dir=None)


def broken_contracts(options: Any, graph: grimp.ImportGraph, *imports: tuple[str, str]) -> set[str]:
    """Ids of the contracts the tree breaks once ``imports`` are added to it."""
    graph = deepcopy(graph)
    for importer, imported in imports:
        graph.add_import(
            importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}"
        )
    broken = set()
    for contract_options in options.contracts_options:
        contract = CONTRACT_TYPES[contract_options["type"]](
            name=contract_options["name"],
            session_options=options.session_options,
            contract_options=contract_options,
        )
        if not contract.check(deepcopy(graph), verbose=False).kept:
            broken.add(contract_options["id"])
    return broken


def test_the_tree_keeps_every_import_rule() -> None:
    # The command a developer runs; its report names each import that breaks a rule.
    passed = use_cases.lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    assert passed == use_cases.SUCCESS


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("safeward.core.scoping", "safeward.geo.queries", "core"),
        ("safeward.core.querysets", "safeward.reports.models", "core"),
        ("safeward.geo.queries", "safeward.accounts.models", "foundation"),
        ("safeward.accounts.services", "safeward.people.services", "foundation"),
        ("safeward.accounts.views", "safeward.demo.foundation", "foundation-below-apps"),
        ("safeward.people.services", "safeward.reports.services", "foundation-below-apps"),
        ("safeward.evidence.views", "safeward.cameras.lookup", "apps"),
        ("safeward.evidence.views", "safeward.reports.models", "apps"),
        ("safeward.outreach.forms", "safeward.community.forms", "apps"),
        ("safeward.outreach.urls", "safeward.community.imports", "apps"),
        ("safeward.reports.services", "safeward.analytics.rollups", "apps"),
    ],
)
def test_an_import_across_the_rules_breaks_them(
    options: Any, graph: grimp.ImportGraph, importer: str, imported: str, contract: str
) -> None:
    assert contract in broken_contracts(options, graph, (importer, imported))


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("safeward.evidence.views", "safeward.cameras.services"),
        ("safeward.evidence.views", "safeward.reports.querysets"),
        ("safeward.evidence.models", "safeward.cameras.models"),
        ("safeward.reports.services", "safeward.people.services"),
        ("safeward.cameras.analytics", "safeward.analytics.registry"),
    ],
)
def test_the_allowed_arrows_keep_the_rules(
    options: Any, graph: grimp.ImportGraph, importer: str, imported: str
) -> None:
    assert broken_contracts(options, graph, (importer, imported)) == set()
