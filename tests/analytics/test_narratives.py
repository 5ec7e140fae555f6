"""Narrative summaries: numbers from the indicators, each linked to its values, in two languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils.translation import gettext_lazy as _

from safeward.analytics import registry
from safeward.analytics.narratives import falling_streak, narrative
from safeward.analytics.registry import Aggregation, Indicator
from safeward.analytics.rollups import rebuild_all
from safeward.analytics.synthetic import SYNTHETIC, counted_facts


@pytest.fixture
def narrated(synthetic: None) -> Iterator[Indicator]:
    indicator = Indicator(
        "synthetic.narrated",
        _("Violations confirmed"),
        _("violations"),
        Aggregation.COUNT,
        ("category",),
        source=counted_facts,
        narrate=True,
    )
    registry.register(indicator)
    yield indicator
    registry.unregister(indicator.code)


def test_falling_streak_counts_consecutive_falls_at_the_end() -> None:
    assert falling_streak([(2019, 9), (2020, 10), (2021, 8), (2022, 5), (2023, 2)]) == 3
    assert falling_streak([(2022, 5), (2023, 6)]) == 0
    assert falling_streak([(2021, 5), (2022, None), (2023, 2)]) == 0


def test_streak_sentence_names_the_ward_and_links_the_number(
    narrated: Indicator, record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cam_thinh"]
    for year, n in ((2021, 6), (2022, 4), (2023, 3), (2024, 1)):
        for i in range(n):
            record(ward, dt.date(year, 3, 1 + i))
    rebuild_all([narrated.code])
    sentences = narrative(ward, since_year=2024, today=dt.date(2025, 1, 10), language="en")
    text = " ".join(s.html for s in sentences)
    assert "fell for the 3rd year in a row" in text
    assert "Cẩm Thịnh" in text
    assert f"/api/v1/indicators/{narrated.code}/values/?unit={ward.pk}" in text
    vi = " ".join(
        s.html for s in narrative(ward, since_year=2024, today=dt.date(2025, 1, 10), language="vi")
    )
    assert "giảm năm thứ 3 liên tiếp" in vi


def test_since_sentence_reports_the_total(
    narrated: Indicator, record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cam_thinh"]
    for day in range(1, 8):
        record(ward, dt.date(2024, 2, day))
    rebuild_all([narrated.code])
    sentences = narrative(ward, since_year=2024, today=dt.date(2024, 12, 31), language="en")
    assert any(">7</a>" in s.html and "Since the start of 2024" in s.html for s in sentences)
    assert all(SYNTHETIC not in s.indicators for s in sentences)


def test_figures_are_grouped_the_way_each_language_writes_them() -> None:
    from django.utils import translation

    from safeward.analytics.narratives import figure
    from safeward.analytics.templatetags.analytics import shown

    with translation.override("vi"):
        assert figure(13260.0) == "13.260"
    with translation.override("en"):
        assert figure(13260.0) == "13,260"
        assert figure(None) == "—"
        ratio = Indicator("x.r", "R", "share", Aggregation.RATIO, numerator="a", denominator="b")
        assert shown(0.925, ratio) == "92.5%"


@pytest.fixture
def falling_yearly(
    narrated: Indicator, record: Callable[..., Any], demo_units: dict[str, Any]
) -> Any:
    """6, 4, 3 and 1 violations in 2021–2024 (by hand: three falls in a row to 2024)."""
    ward = demo_units["cam_thinh"]
    for year, n in ((2021, 6), (2022, 4), (2023, 3), (2024, 1)):
        for i in range(n):
            record(ward, dt.date(year, 3, 1 + i))
    rebuild_all([narrated.code])
    return ward


def test_a_closed_year_is_worded_as_closed_and_its_streak_ends_with_it(falling_yearly: Any) -> None:
    sentences = narrative(
        falling_yearly,
        since_year=2024,
        today=dt.date(2026, 5, 1),
        end=dt.date(2024, 12, 31),
        language="en",
    )
    text = " ".join(s.html for s in sentences)
    assert "In 2024, Phường Cẩm Thịnh: <a" in text and ">1</a> violations" in text
    assert "Since the start" not in text
    assert "fell for the 3rd year in a row" in text and ">1</a> in 2024" in text


def test_an_open_year_reads_until_now_and_its_streak_ends_the_year_before(
    falling_yearly: Any,
) -> None:
    sentences = narrative(
        falling_yearly, since_year=2024, today=dt.date(2024, 6, 30), language="vi"
    )
    text = " ".join(s.html for s in sentences)
    assert "Từ đầu năm 2024 đến nay" in text
    assert "giảm năm thứ 2 liên tiếp" in text and ">3</a>" in text and "2023" in text


def test_a_closed_quarter_names_its_dates(falling_yearly: Any) -> None:
    sentences = narrative(
        falling_yearly,
        since_year=2024,
        today=dt.date(2024, 6, 30),
        end=dt.date(2024, 3, 31),
        language="vi",
    )
    assert any("Từ ngày 01/01/2024 đến ngày 31/03/2024" in s.html for s in sentences)


@pytest.mark.parametrize(
    ("lang", "value", "shown"),
    [
        ("vi", 1_617_700_000, "1,6 tỷ"),
        ("en", 1_617_700_000, "1.6 billion"),
        ("ar", 1_617_700_000, "1,6 مليار"),
        ("vi", 25_300_000, "25,3 triệu"),
        ("en", 2_000_000, "2 million"),
        ("vi", 999_999, "999.999"),
        ("en", None, "—"),
    ],
)
def test_large_figures_are_shortened_for_cards(lang: str, value: float | None, shown: str) -> None:
    from django.utils import translation

    from safeward.analytics.narratives import compact_figure

    with translation.override(lang):
        assert compact_figure(value) == shown


def test_figures_below_ten_keep_no_trailing_zero() -> None:
    from django.utils import translation

    from safeward.analytics.narratives import figure

    with translation.override("en"):
        assert [figure(8.8), figure(0.09), figure(1.25)] == ["8.8", "0.09", "1.25"]
