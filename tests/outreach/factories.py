"""Factories for outreach records."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from safeward.outreach.models import Course, Participant, Session, SocialPost
from tests.community import factories as cf

_seq = itertools.count(1)


def session(unit: Any, **kwargs: Any) -> Session:
    values = {
        "date": cf.day_in(unit),
        "place": "Nhà văn hóa khu",
        "topic": "drugs",
        "form": "in_person",
        "attendance": 80,
        "status": "held",
        **kwargs,
    }
    return Session.objects.create(unit=unit, **values)


def post(unit: Any, **kwargs: Any) -> SocialPost:
    values = {
        "platform": "facebook",
        "url": f"https://facebook.com/congan/posts/{next(_seq)}",
        "date": cf.day_in(unit),
        "topic": "fraud_cyber",
        "reach": 1200,
        **kwargs,
    }
    return SocialPost.objects.create(unit=unit, **values)


def course(unit: Any, **kwargs: Any) -> Course:
    start = cf.day_in(unit)
    values = {
        "title": f"Tập huấn tổ trưởng {next(_seq)}",
        "start_date": start,
        "end_date": start + dt.timedelta(days=2),
        "place": "Hội trường công an",
        **kwargs,
    }
    return Course.objects.create(unit=unit, **values)


def participant(c: Course, **kwargs: Any) -> Participant:
    m = cf.member(cf.GroupFactory(unit=c.unit), role="leader")
    return Participant.objects.create(course=c, person=m.person, group=m.group, **kwargs)
