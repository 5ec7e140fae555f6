"""The report catalogue in the reader's language, and its wording edited by the province."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from safeward.core.models import AuditEvent
from safeward.reports.models import CategoryAttribute, ServiceCategory

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"


def test_open311_services_name_categories_in_the_request_language(client: Client) -> None:
    names = {
        lang: {
            s["service_code"]: s["service_name"]
            for s in client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE=lang).json()
        }
        for lang in ("vi", "en", "ar")
    }
    assert names["vi"]["drugs"] == "Ma túy"
    assert names["en"]["drugs"] == "Drugs"
    assert names["ar"]["drugs"] == "المخدرات"
    assert all(names["en"][code] != names["vi"][code] for code in names["vi"] if code != "other")


def test_open311_service_definition_asks_and_offers_in_the_request_language(
    client: Client,
) -> None:
    body = client.get(f"{BASE}services/drugs.json", HTTP_ACCEPT_LANGUAGE="ar").json()
    question = body["attributes"][0]
    assert question["description"] == "النشاط الملاحظ"
    assert {"key": "use", "name": "تعاطي المخدرات"} in question["values"]
    body = client.get(f"{BASE}services/drugs.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"key": "use", "name": "Drug use"} in body["attributes"][0]["values"]


def test_every_shipped_question_and_answer_is_in_english_and_arabic() -> None:
    for category in ServiceCategory.objects.all():
        assert category.name_en and category.name_ar, category.code
        assert category.description_en and category.description_ar, category.code
    for question in CategoryAttribute.objects.all():
        assert question.description_en and question.description_ar, question.code
        for option in question.values:
            assert option.get("name_en") and option.get("name_ar"), option


def test_a_missing_english_text_falls_back_to_vietnamese(client: Client) -> None:
    ServiceCategory.objects.filter(code="noise").update(name_en="", description_en=None)
    services = client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    noise = next(s for s in services if s["service_code"] == "noise")
    assert noise["service_name"] == "Gây ồn ào"
    assert noise["description"] == "Hát karaoke, gây tiếng ồn quá giờ quy định"


def test_resident_form_offers_categories_and_questions_in_english(client: Client) -> None:
    page = client.get("/reports/submit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Theft of property" in page and "Trộm cắp tài sản" not in page
    fields = client.get(
        "/reports/submit/questions/", {"category": "drugs"}, HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert "النشاط الملاحظ" in fields and "تعاطي المخدرات" in fields
    assert "Hành vi" not in fields


def test_report_detail_shows_the_answers_as_words(
    submit: Any, officer: Client, personas: dict[str, Any]
) -> None:
    report = submit(category="drugs", attributes={"activity": "use"}).report
    page = officer.get(f"/reports/{report.pk}/").content.decode()
    assert "Activity seen" in page and "Drug use" in page
    assert "<code>activity</code>" not in page


def _wording(category: ServiceCategory, **changes: str) -> dict[str, str]:
    client_form = {
        "c_name_vi": category.name_vi,
        "c_name_en": category.name_en,
        "c_name_ar": category.name_ar,
        "c_description_vi": category.description_vi,
        "c_description_en": category.description_en,
        "c_description_ar": category.description_ar,
        "c_group_vi": category.group_vi,
        "c_group_en": category.group_en,
        "c_group_ar": category.group_ar,
    }
    for i, question in enumerate(category.attributes.all()):
        for lang in ("vi", "en", "ar"):
            client_form[f"q{i}_{lang}"] = getattr(question, f"description_{lang}")
        for j, option in enumerate(question.values):
            for lang, slot in (("vi", "name"), ("en", "name_en"), ("ar", "name_ar")):
                client_form[f"o{i}_{j}_{lang}"] = option[slot]
    return {**client_form, **changes}


def test_province_admin_rewords_a_category_and_it_is_audited(client_for: Any) -> None:
    admin = client_for("province_admin")
    drugs = ServiceCategory.objects.get(code="drugs")
    url = f"/reports/categories/{drugs.pk}/wording/"
    page = admin.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="Drugs"' in page and 'value="المخدرات"' in page
    data = _wording(drugs, c_name_en="Narcotics", q0_ar="ما الذي شوهد", o0_1_en="Selling")
    response = admin.post(url, data)
    assert response.status_code == 302
    with translation.override("en"):
        drugs = ServiceCategory.objects.get(code="drugs")
        question = drugs.attributes.get()
        assert drugs.name == "Narcotics"
        assert dict(question.options())["dealing"] == "Selling"
        assert question.value_keys() == ["use", "dealing", "gathering"]
    with translation.override("ar"):
        assert drugs.attributes.get().description == "ما الذي شوهد"
    with translation.override("vi"):
        assert ServiceCategory.objects.get(code="drugs").name == "Ma túy"
    events = AuditEvent.objects.filter(action__startswith="category.").order_by("pk")
    assert [e.action for e in events] == ["category.texts", "category.question_texts"]
    assert events[0].changes["name_en"] == ["Drugs", "Narcotics"]
    assert events[1].changes["dealing.name_en"] == ["Buying or selling", "Selling"]


def test_the_vietnamese_name_may_not_be_emptied(client_for: Any) -> None:
    admin = client_for("province_admin")
    theft = ServiceCategory.objects.get(code="theft")
    data = _wording(theft, c_name_vi=" ")
    response = admin.post(
        f"/reports/categories/{theft.pk}/wording/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert ServiceCategory.objects.get(code="theft").name_vi == "Trộm cắp tài sản"
    assert not AuditEvent.objects.filter(action__startswith="category.").exists()


@pytest.mark.parametrize("persona", ["city_officer", "ward_officer", "analyst", "resident"])
def test_only_the_province_admin_may_reword_the_catalogue(
    client_for: Any, personas: dict[str, Any], persona: str
) -> None:
    theft = ServiceCategory.objects.get(code="theft")
    other = client_for(persona)
    assert other.get("/reports/categories/").status_code == 404
    url = f"/reports/categories/{theft.pk}/wording/"
    assert other.get(url).status_code == 404
    assert other.post(url, _wording(theft, c_name_en="Hacked")).status_code == 404
    assert ServiceCategory.objects.get(code="theft").name_en == "Theft of property"


def test_catalogue_page_lists_every_category_in_the_readers_language(client_for: Any) -> None:
    page = client_for("province_admin").get("/reports/categories/", HTTP_ACCEPT_LANGUAGE="ar")
    text = page.content.decode()
    assert page.status_code == 200 and text.count("/wording/") == ServiceCategory.objects.count()
    assert "سرقة الممتلكات" in text and "Trộm cắp tài sản" not in text


def test_open311_locale_parameter_chooses_the_language(client: Client) -> None:
    response = client.get(
        f"{BASE}services/theft.json", {"locale": "ar_SA"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response["Content-Language"] == "ar"
    assert response.json()["attributes"][0]["description"] == "الممتلكات المفقودة"
    unknown = client.get(f"{BASE}services.json", {"locale": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert next(s for s in unknown.json() if s["service_code"] == "theft")["service_name"] == (
        "Theft of property"
    )


def test_the_service_refuses_a_name_longer_than_the_catalogue_keeps(
    personas: dict[str, Any],
) -> None:
    from safeward.core.errors import DomainError
    from safeward.reports.services import category_texts_change

    theft = ServiceCategory.objects.get(code="theft")
    with pytest.raises(DomainError) as refused:
        category_texts_change(personas["province_admin"], theft, texts={"name": {"en": "x" * 121}})
    assert refused.value.field == "name_en"
    assert ServiceCategory.objects.get(code="theft").name_en == "Theft of property"
