"""Fixed-window rate limits for public intake, kept in Django's cache (shared through Redis at scale)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


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
        return _("Too many reports. Please try again in {seconds} seconds.").format(
            seconds=self.retry_after
        )


def hit(bucket: str, key: str, limit: Limit) -> None:
    """Count one request for ``key``; raise :class:`RateLimited` when over ``limit``."""
    now = int(time.time())
    window = now // limit.seconds
    cache_key = f"sw-rl:{bucket}:{key}:{window}"
    if cache.add(cache_key, 1, limit.seconds + 5):
        used = 1
    else:
        try:
            used = cache.incr(cache_key)
        except ValueError:
            cache.set(cache_key, 1, limit.seconds + 5)
            used = 1
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
