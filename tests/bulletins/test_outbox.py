"""The local outbox gateway ``make demo`` uses: every SMS and Zalo message as one JSON line
with its idempotency key, written by the real sender."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safeward.bulletins.choices import AudienceKind
from safeward.bulletins.delivery import fan_out_bulletin, send_due
from safeward.bulletins.models import Delivery
from safeward.bulletins.services import Audience
from safeward.core.sms import send_sms
from tests.bulletins.factories import draft, sent

pytestmark = pytest.mark.django_db


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_text_messages_land_in_the_outbox_once_each(
    personas: Any, ward: Any, settings: Any, tmp_path: Path
) -> None:
    settings.SAFEWARD_SMS_GATEWAY_URL = f"file://{tmp_path}/outbox/sms.jsonl"
    settings.SAFEWARD_ZALO_GATEWAY_URL = f"file://{tmp_path}/outbox/zalo.jsonl"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"],
            ward["unit"],
            [Audience(AudienceKind.COHORT, ward["cohort"])],
        ),
    )
    fan_out_bulletin(bulletin.pk)
    send_due(bulletin_id=bulletin.pk, max_seconds=30)
    rows = Delivery.objects.filter(bulletin=bulletin)
    sms = _lines(tmp_path / "outbox" / "sms.jsonl")
    zalo = _lines(tmp_path / "outbox" / "zalo.jsonl")
    assert sorted(m["key"] for m in sms) == sorted(
        rows.filter(channel="sms").values_list("key", flat=True)
    )
    assert sorted(m["key"] for m in zalo) == sorted(
        rows.filter(channel="zalo").values_list("key", flat=True)
    )
    assert all(m["to"].startswith("09") and m["text"] for m in sms)
    assert all(m["phone"].startswith("849") and m["template_data"]["content"] for m in zalo)
    # What a cohort member reads never names the cohort.
    assert not any(ward["cohort"].name in json.dumps(m, ensure_ascii=False) for m in sms + zalo)
    assert set(rows.filter(channel__in=["sms", "zalo"]).values_list("state", flat=True)) == {"sent"}


def test_a_report_notice_by_sms_lands_in_the_outbox(settings: Any, tmp_path: Path) -> None:
    settings.SAFEWARD_SMS_GATEWAY_URL = f"file://{tmp_path}/sms.jsonl"
    send_sms("0912345678", "Phản ánh QN-ABC của bạn đã được tiếp nhận.")
    [line] = _lines(tmp_path / "sms.jsonl")
    assert (line["to"], line["text"]) == (
        "0912345678",
        "Phản ánh QN-ABC của bạn đã được tiếp nhận.",
    )
