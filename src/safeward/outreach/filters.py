"""Filters of the outreach lists, shared by the pages and the API."""

from __future__ import annotations

from safeward.core.filters import (
    ChoiceFilter,
    ScopedFilterSet,
    UnitDateFilterSet,
    VisibleFilter,
)
from safeward.outreach.choices import Platform, SessionForm, SessionStatus, Topic
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost


class SessionFilterSet(UnitDateFilterSet):
    topic = ChoiceFilter(Topic)
    form = ChoiceFilter(SessionForm)
    status = ChoiceFilter(SessionStatus)

    class Meta(ScopedFilterSet.Meta):
        model = Session


class SocialPostFilterSet(UnitDateFilterSet):
    platform = ChoiceFilter(Platform)
    topic = ChoiceFilter(Topic)

    class Meta(ScopedFilterSet.Meta):
        model = SocialPost


class CourseFilterSet(UnitDateFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = Course


class ParticipantFilterSet(UnitDateFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = Participant


class SessionMaterialFilterSet(ScopedFilterSet):
    session = VisibleFilter("outreach.Session", help_text="session id")

    class Meta(ScopedFilterSet.Meta):
        model = SessionMaterial
