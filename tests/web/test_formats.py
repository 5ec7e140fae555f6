"""Dates and hours read the same in every language: dd/mm/yyyy and the 24-hour clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import formats, translation

pytestmark = pytest.mark.django_db
LANGS = ["vi", "en", "ar"]
EVENING = dt.datetime(2025, 7, 1, 21, 5)


@pytest.mark.parametrize("lang", LANGS)
def test_short_formats_put_the_day_first_and_use_the_24_hour_clock(lang: str) -> None:
    with translation.override(lang):
        assert formats.date_format(EVENING.date(), "SHORT_DATE_FORMAT") == "01/07/2025"
        assert formats.date_format(EVENING, "SHORT_DATETIME_FORMAT") == "01/07/2025 21:05"
        assert formats.time_format(EVENING.time()) == "21:05"
        assert "PM" not in formats.date_format(EVENING, "DATETIME_FORMAT").upper()
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_typed_date_is_read_day_first(lang: str) -> None:
    from django import forms

    with translation.override(lang):
        assert forms.DateField().clean("02/07/2025") == dt.date(2025, 7, 2)
        assert forms.DateTimeField().clean("02/07/2025 21:05").replace(tzinfo=None) == dt.datetime(
            2025, 7, 2, 21, 5
        )


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_writes_the_assignment_date_day_first(client_for: Any, lang: str) -> None:
    page = client_for("front_member").get("/home/", HTTP_ACCEPT_LANGUAGE=lang)
    page_lang = page.headers.get("Content-Language")
    body = page.content.decode()
    assert page.status_code == 200 and page_lang == lang
    assert "01/07/2025" in body and "01-07-2025" not in body and "07/01/2025" not in body
