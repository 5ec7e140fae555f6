"""The report catalogue in the reader's language: a resident's form in vi, en and ar, and
the province administrator rewording a category."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e

EXPECTED = {
    "vi": ("Ma túy", "Hành vi", "Sử dụng"),
    "en": ("Drugs", "Activity seen", "Drug use"),
    "ar": ("المخدرات", "النشاط الملاحظ", "تعاطي المخدرات"),
}


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_resident_form_offers_categories_and_questions_in_the_readers_language(
    phone: Any, server: str, lang: str
) -> None:
    category, question, answer = EXPECTED[lang]
    set_language(phone, server, lang)
    phone.goto(server + "/reports/submit/")
    options = phone.eval_on_selector_all("#id_category option", "els => els.map(e => e.text)")
    assert category in options
    if lang != "vi":
        assert "Ma túy" not in options and "Trộm cắp tài sản" not in options
    phone.select_option("#id_category", "drugs")
    phone.wait_for_selector("#id_attr_activity")
    assert question in phone.inner_text("#attribute-fields")
    labels = phone.eval_on_selector_all("#id_attr_activity option", "els => els.map(e => e.text)")
    assert answer in labels
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    shot(phone, f"catalogue-01-resident-form-{lang}")


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_province_admin_rewords_a_category(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    set_language(page, server, lang)
    page.goto(server + "/reports/categories/")
    assert EXPECTED[lang][0] in page.inner_text("main")
    shot(page, f"catalogue-02-admin-list-{lang}")
    page.click("tr:has(code:text-is('noise')) a[href$='/wording/']")
    page.wait_for_selector("input[name=c_name_ar]")
    assert page.get_attribute("input[name=c_name_ar]", "dir") == "rtl"
    assert page.get_attribute("textarea[name=c_description_vi]", "dir") == "ltr"
    assert page.input_value("input[name=c_name_en]").startswith("Noise")
    shot(page, f"catalogue-03-admin-wording-{lang}")
    page.fill("input[name=c_name_en]", f"Noise ({lang})")
    page.click("main button[type=submit].primary")
    page.wait_for_url("**/reports/categories/")
    set_language(page, server, "en")
    page.goto(server + "/reports/submit/")
    options = page.eval_on_selector_all("#id_category option", "els => els.map(e => e.text)")
    assert f"Noise ({lang})" in options


# Every answer the drugs question offers, in each language: the newest drugs report on the
# demo may be any of them (the reports step's "gathering", the bulletins step's "dealing").
ANSWERS = {
    "vi": ("Hành vi", {"Sử dụng", "Mua bán", "Tụ tập"}),
    "en": ("Activity seen", {"Drug use", "Buying or selling", "Gathering"}),
    "ar": ("النشاط الملاحظ", {"تعاطي المخدرات", "بيع أو شراء", "تجمّع"}),
}


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_report_page_shows_answers_as_words(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    set_language(page, server, lang)
    page.goto(server + "/reports/?category=drugs&status=")
    page.click("table tbody tr a[href^='/reports/']")
    page.wait_for_selector("dl.facts")
    facts = page.inner_text("dl.facts")
    question, answers = ANSWERS[lang]
    after = facts.split(question + "\n", 1)
    assert len(after) == 2, facts
    shown = after[1].split("\n", 1)[0]
    assert shown in answers, f"{question} answered {shown!r}, not one of its words"
    for key in ("activity", "gathering", "dealing"):
        assert key not in facts
    shot(page, f"catalogue-04-report-answers-{lang}")
