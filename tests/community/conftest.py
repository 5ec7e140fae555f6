from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from safeward.demo.registry import DemoContext


@pytest.fixture
def demo_ctx(demo_units: dict[str, Any], personas: dict[str, Any]) -> DemoContext:
    """A demo context over the test database's units and personas."""
    return DemoContext(
        seed=1, rng=random.Random(1), users=personas, units=demo_units, log=lambda _m: None
    )


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Service messages in English (the source language) so tests can assert their text."""
    with translation.override("en"):
        yield
