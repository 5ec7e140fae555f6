from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Service messages in English (the source language) so tests can assert their text."""
    with translation.override("en"):
        yield
