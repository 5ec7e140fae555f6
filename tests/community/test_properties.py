"""Properties of the small pure helpers."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from safeward.community.services import patrol_hours
from safeward.outreach.demo import split_total

times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(times, times)
def test_patrol_hours_are_between_zero_and_a_day(start: dt.time, end: dt.time) -> None:
    hours = patrol_hours(start, end)
    assert 0 < hours <= 24


@given(st.integers(min_value=1, max_value=80), st.integers(min_value=0, max_value=10_000))
def test_split_total_adds_up_within_bounds(parts: int, seed: int) -> None:
    low, high = 100, 400
    total = random.Random(seed).randint(parts * low, parts * high)
    values = split_total(random.Random(seed), total, parts, low, high)
    assert sum(values) == total and len(values) == parts
    assert all(low <= v <= high for v in values)
