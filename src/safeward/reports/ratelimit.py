"""Fixed-window rate limits for public intake, counted in a store every process shares.

With ``REDIS_URL`` set the counters live in Redis (``INCR`` and ``EXPIRE`` in one
``MULTI``); otherwise in the database (one upsert that returns the new count). Never
in process memory: gunicorn runs several workers, and each would count alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.reports.models import RateCounter

GRACE_SECONDS = 5


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def parse_limit(text: str) -> Limit:
    """``"10/hour"``, ``"5/minute"``, ``"100/day"`` or ``"20/3600"`` (seconds)."""
    count, _sep, per = text.partition("/")
    units = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
    seconds = units.get(per.rstrip("s")) or int(per)
    return Limit(int(count), seconds)


def configured(name: str, default: str) -> Limit:
    env = os.environ.get(f"SAFEWARD_{name}")
    return parse_limit(env or str(getattr(settings, f"SAFEWARD_{name}", default)))


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.retry_after < 120:
            return _("Too many reports. Please try again in {seconds} seconds.").format(
                seconds=self.retry_after
            )
        return _("Too many reports. Please try again in {minutes} minutes.").format(
            minutes=-(-self.retry_after // 60)
        )


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _redis(url: str) -> Any:
    client = _clients.get(url)
    if client is None:
        from redis import Redis

        with _clients_lock:
            client = _clients.setdefault(url, Redis.from_url(url, socket_timeout=2))
    return client


def count_in_redis(url: str, key: str, ttl: int) -> int:
    """Add one to ``key`` and (re)arm its expiry, atomically; returns the new count."""
    pipe = _redis(url).pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, ttl)
    used, _armed = pipe.execute()
    return int(used)


UPSERT = (
    "INSERT INTO reports_ratecounter (key, count, expires_at) VALUES (%s, 1, %s) "
    "ON CONFLICT (key) DO UPDATE SET count = reports_ratecounter.count + 1 RETURNING count"
)


def count_in_database(key: str, ttl: int) -> int:
    """Add one to ``key`` in a single upsert (atomic on SQLite and PostgreSQL)."""
    expires = timezone.now() + dt.timedelta(seconds=ttl)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPSERT, [key, expires])
        used = int(cursor.fetchone()[0])
        if used == 1:
            RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return used


def count(key: str, ttl: int) -> int:
    url = str(getattr(settings, "REDIS_URL", "") or "")
    if url:
        return count_in_redis(url, key, ttl)
    return count_in_database(key, ttl)


def hit(bucket: str, key: str, limit: Limit) -> None:
    """Count one request for ``key``; raise :class:`RateLimited` when over ``limit``."""
    now = int(time.time())
    window = now // limit.seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no address or phone number stored
    used = count(f"sw-rl:{bucket}:{digest}:{limit.seconds}:{window}", limit.seconds + GRACE_SECONDS)
    if used > limit.count:
        raise RateLimited((window + 1) * limit.seconds - now)


def check_public_intake(ip: str, reporter_key: str = "") -> None:
    """Per-IP and per-reporter limits on submissions from the public."""
    hit("ip", ip or "unknown", configured("REPORTS_RATE_PER_IP", "20/hour"))
    if reporter_key:
        check_reporter(reporter_key)


def check_reporter(reporter_key: str) -> None:
    """Limit one reporter (by phone or email), whichever channel they use."""
    hit("reporter", reporter_key.lower(), configured("REPORTS_RATE_PER_REPORTER", "5/hour"))


def check_public_lookup(ip: str) -> None:
    """Limits on tracking-code lookups, which guess at secrets."""
    hit("track", ip or "unknown", configured("REPORTS_RATE_TRACK", "60/hour"))
