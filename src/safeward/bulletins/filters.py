"""Filters of the bulletin lists, shared by the pages and the API."""

from __future__ import annotations

from safeward.bulletins.choices import BulletinStatus, Category, CohortKind, MsgType
from safeward.bulletins.models import Bulletin, Cohort, Subscription, WebhookEndpoint
from safeward.core.filters import ChoiceFilter, ScopedFilterSet, SearchFilter, UnitDateFilterSet
from safeward.people.models import ContactKind, ContactPoint


class BulletinFilterSet(UnitDateFilterSet):
    q = SearchFilter("event")
    status = ChoiceFilter(BulletinStatus)
    category = ChoiceFilter(Category)
    msg_type = ChoiceFilter(MsgType)

    class Meta(ScopedFilterSet.Meta):
        model = Bulletin


class CohortFilterSet(ScopedFilterSet):
    q = SearchFilter("name")
    kind = ChoiceFilter(CohortKind)

    class Meta(ScopedFilterSet.Meta):
        model = Cohort


class SubscriptionFilterSet(ScopedFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = Subscription


class WebhookEndpointFilterSet(ScopedFilterSet):
    q = SearchFilter("name")

    class Meta(ScopedFilterSet.Meta):
        model = WebhookEndpoint


class ContactPointFilterSet(ScopedFilterSet):
    kind = ChoiceFilter(ContactKind)

    class Meta(ScopedFilterSet.Meta):
        model = ContactPoint
