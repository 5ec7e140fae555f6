"""Public intake limits live in a store every worker shares: Redis when configured, else the database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safeward.reports import ratelimit
from safeward.reports.models import RateCounter, Report

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]
HOURLY = ratelimit.Limit(3, 3600)


@pytest.fixture
def redis_limits(settings: Any) -> Iterator[Any]:
    """Counters in the real Redis (database 15, emptied before and after)."""
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except Exception as exc:  # pragma: no cover - CI starts Redis
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    client.flushdb()
    settings.REDIS_URL = REDIS_URL
    yield client
    client.flushdb()


def form_data(demo_units: dict[str, Any]) -> dict[str, Any]:
    unit = demo_units["cam_thinh_khu1_2025"]
    return {
        "category": "theft",
        "description": "Có người lạ bẻ khóa xe",
        "latitude": unit.centroid_lat,
        "longitude": unit.centroid_lon,
        "anonymous": "on",
    }


def test_without_redis_the_count_is_a_database_row(settings: Any) -> None:
    settings.REDIS_URL = ""
    for _i in range(3):
        ratelimit.hit("ip", "203.0.113.7", HOURLY)
    with pytest.raises(ratelimit.RateLimited) as err:
        ratelimit.hit("ip", "203.0.113.7", HOURLY)
    assert 0 < err.value.retry_after <= 3600
    row = RateCounter.objects.get()
    assert row.count == 4 and "203.0.113.7" not in row.key


def test_with_redis_the_count_is_one_key_that_expires(redis_limits: Any) -> None:
    for _i in range(3):
        ratelimit.hit("ip", "203.0.113.7", HOURLY)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("ip", "203.0.113.7", HOURLY)
    keys = redis_limits.keys("sw-rl:ip:*")
    assert len(keys) == 1 and int(redis_limits.get(keys[0])) == 4
    assert 0 < redis_limits.ttl(keys[0]) <= 3600 + ratelimit.GRACE_SECONDS
    assert not RateCounter.objects.exists()


def test_another_process_counts_against_the_same_redis_limit(redis_limits: Any) -> None:
    """What a second worker process counted stops this one: nothing is kept per process."""
    code = (
        "import django; django.setup()\n"
        "from safeward.reports import ratelimit\n"
        "for _ in range(3): ratelimit.hit('ip', '198.51.100.9', ratelimit.Limit(3, 3600))\n"
    )
    env = {**os.environ, "REDIS_URL": REDIS_URL, "PYTHONPATH": str(ROOT / "src")}
    env["DJANGO_SETTINGS_MODULE"] = "safeward.config.settings"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT, timeout=120)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("ip", "198.51.100.9", HOURLY)


def test_web_form_429_states_the_wait_in_vietnamese(
    client: Client, demo_units: dict[str, Any], redis_limits: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEWARD_REPORTS_RATE_PER_IP", "1/hour")
    assert client.post("/reports/submit/", form_data(demo_units)).status_code == 302
    before = Report.objects.count()
    response = client.post("/reports/submit/", form_data(demo_units), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 429 and Report.objects.count() == before
    minutes = -(-int(response["Retry-After"]) // 60)
    text = response.content.decode()
    assert f"Vui lòng thử lại sau {minutes} phút" in text or (
        int(response["Retry-After"]) < 120 and "giây" in text
    )


def test_open311_429_is_in_open311_error_format_with_retry_time(
    client: Client,
    demo_units: dict[str, Any],
    personas: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from safeward.reports.services import open311_client_create

    monkeypatch.setenv("SAFEWARD_REPORTS_RATE_PER_CLIENT", "1/hour")
    key = open311_client_create(personas["province_admin"], name="311")[1]
    unit = demo_units["cam_thinh_khu1_2025"]
    body = {
        "api_key": key,
        "service_code": "theft",
        "description": "Mất ví",
        "lat": str(unit.centroid_lat),
        "long": str(unit.centroid_lon),
    }
    assert client.post("/open311/v2/requests.json", body).status_code == 200
    response = client.post("/open311/v2/requests.json", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    [error] = response.json()
    assert error["code"] == 429 and "Please try again in" in error["description"]
    xml = client.post("/open311/v2/requests.xml", body, HTTP_ACCEPT_LANGUAGE="en")
    assert xml.status_code == 429 and b"<errors><error><code>429</code>" in xml.content


@pytest.mark.parametrize(("seconds", "text"), [(45, "45 seconds"), (3599, "60 minutes")])
def test_the_wait_is_stated_in_seconds_or_minutes(seconds: int, text: str) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert text in ratelimit.RateLimited(seconds).message
