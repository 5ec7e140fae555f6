"""Indicators over bulletins: bulletins sent, messages that reached their recipient, and
recipients' answers, by audience kind and channel.

A bulletin's facts fall on the day it was sent, in the unit that sent it. Counts of
messages and answers to restricted cohorts describe very few people: these indicators
withhold counts under 5 wherever they are shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Exists, OuterRef, Value
from django.db.models import When as SqlWhen
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import Aggregation, FactQuery, Indicator, choice_labels
from safeward.bulletins.choices import (
    Answer,
    AudienceKind,
    BulletinStatus,
    Category,
    Channel,
    DeliveryState,
)
from safeward.bulletins.models import Bulletin, BulletinAudience, Delivery

REACHED = (DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.ACKNOWLEDGED)


def _audience_of_bulletin() -> Any:
    """The most sensitive audience kind a bulletin has: cohort, then group, then area."""

    def has(kind: str) -> Exists:
        return Exists(BulletinAudience.objects.filter(bulletin=OuterRef("pk"), kind=kind))

    return SqlCase(
        SqlWhen(has(AudienceKind.COHORT), then=Value(AudienceKind.COHORT)),
        SqlWhen(has(AudienceKind.GROUP), then=Value(AudienceKind.GROUP)),
        default=Value(AudienceKind.UNIT),
    )


def bulletins_sent(start: dt.date, end: dt.date) -> FactQuery:
    rows = Bulletin.objects.filter(
        status=BulletinStatus.SENT, sent_at__date__gte=start, sent_at__date__lte=end
    )
    return FactQuery(
        rows,
        unit="unit_id",
        day=TruncDate("sent_at"),
        dims={"category": "category", "audience": _audience_of_bulletin()},
    )


def _deliveries(start: dt.date, end: dt.date, **filters: Any) -> Any:
    return Delivery.objects.filter(
        person__isnull=False,
        bulletin__sent_at__date__gte=start,
        bulletin__sent_at__date__lte=end,
        **filters,
    )


def messages_reached(start: dt.date, end: dt.date) -> FactQuery:
    return FactQuery(
        _deliveries(start, end, state__in=REACHED),
        unit="bulletin__unit_id",
        day=TruncDate("bulletin__sent_at"),
        dims={"channel": "channel", "audience": "audience_kind"},
    )


def answers(start: dt.date, end: dt.date) -> FactQuery:
    return FactQuery(
        _deliveries(start, end).exclude(answer=""),
        unit="bulletin__unit_id",
        day=TruncDate("bulletin__sent_at"),
        dims={"answer": "answer", "audience": "audience_kind", "channel": "channel"},
    )


def labels(dimension: str) -> dict[str, str]:
    found = {
        "category": Category,
        "audience": AudienceKind,
        "channel": Channel,
        "answer": Answer,
    }.get(dimension)
    return choice_labels(found) if found else {}


DIMENSION_NAMES = {
    "category": _("Category"),
    "audience": _("Audience"),
    "channel": _("Channel"),
    "answer": _("Answer"),
}

FACT_DAYS = fact_days_by(
    {
        "bulletins.bulletin": ("sent_at",),
        "bulletins.delivery": ("bulletin__sent_at",),
    }
)


def indicators() -> list[Indicator]:
    common: dict[str, Any] = {
        "app": "bulletins",
        "labels": labels,
        "dimension_names": DIMENSION_NAMES,
        "fact_days": FACT_DAYS,
    }
    return [
        Indicator(
            "bulletins.sent",
            _("Bulletins sent"),
            pgettext_lazy("unit of measure", "bulletins"),
            fact_query=bulletins_sent,
            dimensions=("category", "audience"),
            watches=("bulletins.bulletin",),
            **common,
        ),
        Indicator(
            "bulletins.reached",
            _("Bulletin messages that reached their recipient"),
            pgettext_lazy("unit of measure", "messages"),
            fact_query=messages_reached,
            dimensions=("channel", "audience"),
            suppress_small_counts=True,
            watches=("bulletins.bulletin", "bulletins.delivery"),
            **common,
        ),
        Indicator(
            "bulletins.answers",
            _("Answers to bulletins"),
            pgettext_lazy("unit of measure", "answers"),
            fact_query=answers,
            dimensions=("answer", "audience", "channel"),
            suppress_small_counts=True,
            watches=("bulletins.bulletin", "bulletins.delivery"),
            **common,
        ),
        Indicator(
            "bulletins.answer_share",
            _("Share of messages answered"),
            pgettext_lazy("unit of measure", "share"),
            aggregation=Aggregation.RATIO,
            numerator="bulletins.answers",
            denominator="bulletins.reached",
            suppress_small_counts=True,
            **common,
        ),
    ]
