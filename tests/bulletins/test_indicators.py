"""Bulletin indicators rebuilt from the records, refreshed after the workers send, and
the public per-ward statistics with small counts withheld."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safeward.analytics.freshness import rollups_catch_up as refresh_all
from safeward.analytics.public import public_total
from safeward.bulletins.choices import AudienceKind
from safeward.bulletins.delivery import fan_out_bulletin, send_due
from safeward.bulletins.models import Delivery
from safeward.bulletins.services import Audience
from tests.bulletins.factories import draft, html, sent
from tests.indicator_helpers import END, START, assert_registered, indicator, rebuilt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["bulletins.sent", "bulletins.reached", "bulletins.answers"])
def test_indicator_is_registered(code: str) -> None:
    assert_registered(code, "bulletins")


def _two_bulletins(personas: Any, ward: Any, sink: Any) -> tuple[Any, Any]:
    officer = personas["ward_officer"]
    to_cohort = sent(
        personas, draft(officer, ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])])
    )
    to_group = sent(
        personas, draft(officer, ward["unit"], [Audience(AudienceKind.GROUP, ward["group"])])
    )
    for bulletin in (to_cohort, to_group):
        fan_out_bulletin(bulletin.pk)
        send_due(bulletin_id=bulletin.pk, max_seconds=30)
    return to_cohort, to_group


def test_bulletins_messages_and_answers_are_counted_by_audience(
    personas: Any, ward: Any, sink: Any
) -> None:
    to_cohort, to_group = _two_bulletins(personas, ward, sink)
    unit = ward["unit"]
    assert rebuilt("bulletins.sent", unit) == 2
    assert rebuilt("bulletins.sent", unit, by="audience") == {"cohort": 1, "group": 1}
    reached = Delivery.objects.filter(
        bulletin__in=[to_cohort, to_group], state__in=["sent", "delivered"]
    )
    by_audience = {kind: reached.filter(audience_kind=kind).count() for kind in ("cohort", "group")}
    assert rebuilt("bulletins.reached", unit, by="audience") == {
        k: v for k, v in by_audience.items() if v
    }
    Delivery.objects.filter(bulletin=to_group).update(answer="seen", state="acknowledged")
    assert rebuilt("bulletins.answers", unit, by="answer") == {
        "seen": Delivery.objects.filter(bulletin=to_group).count()
    }


def test_the_refresh_follows_the_workers_without_a_rebuild(
    personas: Any, ward: Any, sink: Any
) -> None:
    refresh_all()
    before = public_total("bulletins.sent", ward["unit"], START, END) or 0
    _two_bulletins(personas, ward, sink)
    refresh_all()
    # The deliveries were written by the workers in bulk: their pass's event refreshes them.
    from safeward.analytics.queries import total

    assert total(indicator("bulletins.sent"), ward["unit"], START, END) == before + 2
    reached = Delivery.objects.filter(
        bulletin__unit=ward["unit"], state__in=["sent", "delivered"], person__isnull=False
    ).count()
    assert reached > 0
    assert total(indicator("bulletins.reached"), ward["unit"], START, END) == reached
    # Published, a count under 5 is withheld.
    published = public_total("bulletins.reached", ward["unit"], START, END)
    assert published == (None if reached < 5 else reached)


def test_the_public_statistics_page_withholds_small_counts(
    personas: Any, ward: Any, sink: Any, client: Any
) -> None:
    _two_bulletins(personas, ward, sink)
    refresh_all()
    page = client.get(reverse("bulletins:stats"))
    text = html(page)
    assert ward["unit"].name in text
    # Two bulletins this month: published as "<5", never the number.
    assert '<td class="num"><5</td>' in text
    assert ward["cohort"].name not in text
