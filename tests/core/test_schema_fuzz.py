"""The whole OpenAPI schema, fuzzed at a small budget as a ward officer with an API token.

Every generated request must answer without a server error, with a status code, content
type and body the schema documents. ``make fuzz`` runs the same at 100 examples per
operation, for three personas, with every check and the stateful phase.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safeward.config.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """Calls go straight to the WSGI app; like Django's test client, keep its end-of-request
    hook from closing the connection that holds the test's transaction (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(personas: dict[str, Any]) -> str:
    from safeward.accounts.services import token_create

    return token_create(personas["ward_officer"], name="schema fuzz", days=1)[1]


def _config() -> Any:
    # Random generation only: the coverage phase's exhaustive edge cases belong to `make fuzz`.
    config = schemathesis.Config()
    config.projects.default.phases.update(phases=["fuzzing"])
    return config


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=_config())


@schema.parametrize()
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_every_operation_answers_as_documented(case: Any, officer_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {officer_token}"}, checks=CHECKS)
