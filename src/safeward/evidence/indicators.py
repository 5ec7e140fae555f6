"""Indicators over footage requests and the custodians' answers.

Found by :func:`safeward.analytics.registry.autodiscover` when the analytics app
starts, which registers what :func:`indicators` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import Fact, Indicator, choice_labels, local_day
from safeward.evidence.choices import ANSWERS, Response
from safeward.evidence.models import FootageRequest, RequestTarget

# The day each record's facts fall on: the refresh recomputes from that year only.
FACT_DAYS = fact_days_by(
    {"evidence.footagerequest": ("sent_at",), "evidence.requesttarget": ("responded_at",)}
)


def footage_requests_sent(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        FootageRequest.objects.filter(sent_at__date__gte=start, sent_at__date__lte=end)
        .values_list("unit_id", "sent_at")
        .iterator(chunk_size=5000)
    )
    for unit_id, sent_at in rows:
        yield Fact(unit_id, local_day(sent_at), {})


def _answers(start: dt.date, end: dt.date, responses: list[str]) -> Iterator[Fact]:
    rows = (
        RequestTarget.objects.filter(
            responded_at__date__gte=start, responded_at__date__lte=end, response__in=responses
        )
        .values_list("request__unit_id", "responded_at", "response")
        .iterator(chunk_size=5000)
    )
    for unit_id, responded_at, response in rows:
        yield Fact(unit_id, local_day(responded_at), {"response": response})


def footage_requests_answered(start: dt.date, end: dt.date) -> Iterator[Fact]:
    return _answers(start, end, [str(a) for a in ANSWERS])


def footage_requests_declined(start: dt.date, end: dt.date) -> Iterator[Fact]:
    return _answers(start, end, ["declined"])


def answer_labels(dimension: str) -> dict[str, str]:
    return choice_labels(Response) if dimension == "response" else {}


def indicators() -> list[Indicator]:
    common: dict[str, Any] = {
        "app": "evidence",
        "fact_days": FACT_DAYS,
        "dimension_names": {"response": _("Answer")},
        "labels": answer_labels,
    }
    answers = ("evidence.requesttarget", "evidence.footagerequest")
    return [
        Indicator(
            "evidence.requests_sent",
            _("Footage requests sent"),
            _("requests"),
            source=footage_requests_sent,
            watches=("evidence.footagerequest",),
            **common,
        ),
        Indicator(
            "evidence.requests_answered",
            _("Footage requests answered by custodians"),
            _("answers"),
            source=footage_requests_answered,
            dimensions=("response",),
            watches=answers,
            **common,
        ),
        Indicator(
            "evidence.requests_declined",
            _("Footage requests declined by custodians"),
            _("answers"),
            source=footage_requests_declined,
            watches=answers,
            **common,
        ),
    ]
