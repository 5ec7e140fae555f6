"""Pages name things in the reader's language, not by their codes or model keys."""

from __future__ import annotations

from typing import Any

import pytest

from safeward.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_audit_log_names_the_object_type_and_the_protected_read(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    audit_record(
        personas["province_admin"],
        "cameras.view_custodian_contact",
        unit=demo_units["cua_ong"],
        object_type="people.household",
        object_id="14",
        sensitive_read=True,
    )
    audit_record(
        personas["province_admin"],
        "outreach.view_session_note",
        unit=demo_units["cua_ong"],
        object_type="outreach.session",
        object_id="68",
        sensitive_read=True,
    )
    admin = client_for("province_admin")
    body = admin.get("/audit/?sensitive=1", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<span title="people.household">الأسرة</span> 14' in body
    assert '<span title="outreach.session">جلسة توعية</span> 68' in body
    assert "يمكنه معرفة من يحتفظ بالكاميرا" in body  # the permission behind the read
    assert ">people.household<" not in body and ">outreach.session<" not in body
    english = admin.get("/audit/?sensitive=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Read of protected data" in english  # a read with no permission of its own


def test_import_page_names_each_kind_of_file(client_for: Any) -> None:
    body = client_for("province_admin").get("/community/import/", HTTP_ACCEPT_LANGUAGE="en")
    text = body.content.decode()
    assert body.status_code == 200 and "<b>Self-managed groups</b>" in text
    assert "<b>groups</b>" not in text and "<b>sessions</b>" not in text


def test_landing_section_titles_are_not_commands(client: Any) -> None:
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "أبلِغ</h2>" not in body and "تابِع</h2>" not in body and "شارِك</h2>" not in body
