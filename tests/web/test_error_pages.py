"""Error pages in the user's language, styled like the rest, each with a way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

START = {"vi": "Về trang đầu", "en": "Go to the start page", "ar": "اذهب إلى صفحة البداية"}
NOT_FOUND = {"vi": "Không tìm thấy trang", "en": "Page not found", "ar": "الصفحة غير موجودة"}


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_missing_page_is_a_styled_404_in_the_language(db: Any, lang: str) -> None:
    client = Client()
    client.cookies["django_language"] = lang
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND[lang] in body and START[lang] in body
    assert static("web/safeward.css") in body and f'lang="{lang}"' in body
    assert ('dir="rtl"' in body) == (lang == "ar")


def test_api_404_keeps_the_api_shape(db: Any) -> None:
    response = Client().get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_403_and_500_pages_say_what_happened(db: Any) -> None:
    request = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("vi"):
        denied = defaults.permission_denied(request, PermissionDenied()).content.decode()
        failed = defaults.server_error(request).content.decode()
    assert "Bạn không được mở trang này" in denied and "Về trang đầu" in denied
    assert "Đã có lỗi xảy ra" in failed and "không có gì bạn gửi bị lưu dở dang" in failed.lower()


def test_favicon_is_served(db: Any) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
