"""Factories for community records, plus the group led by the ``group_leader`` persona."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory

from safeward.accounts.models import User
from safeward.community.models import (
    FortressAssessment,
    Group,
    Membership,
    ModelEvaluation,
    MovementModel,
    Patrol,
    RosterSlot,
    ShieldPledge,
)
from safeward.people.models import Household, Person

_seq = itertools.count(1)


def day_in(unit: Any) -> dt.date:
    """A date on which ``unit`` was valid (legacy units: 2024)."""
    return dt.date(2024, 5, 10) if unit.valid_to else dt.date(2025, 9, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    label = factory.Sequence(lambda n: f"Hộ ông Thử {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Tổ tự quản số {n}")
    founded_on = factory.LazyAttribute(lambda o: day_in(o.unit))


def leader_person() -> Person:
    """The person record of the ``group_leader`` persona."""
    user = User.objects.get(username="group_leader")
    person = Person.objects.filter(user=user).first()
    if person is None:
        from safeward.geo.models import AdminUnit

        unit = AdminUnit.objects.get(pk=user.assignments.values_list("unit_id", flat=True).first())
        person = Person.objects.create(unit=unit, full_name="Vũ Văn Nam", user=user)
    return person


def led_group(unit: Any, **kwargs: Any) -> Group:
    """A group in ``unit`` led by the ``group_leader`` persona."""
    group = GroupFactory(unit=unit, **kwargs)
    Membership.objects.create(
        group=group, person=leader_person(), role="leader", joined_on=group.founded_on
    )
    return group


def shared_led_group(unit: Any) -> Group:
    """One group per unit led by the ``group_leader`` persona, made on first use."""
    existing = Group.objects.filter(unit=unit, name="Tổ thử quyền").first()
    return existing or led_group(unit, name="Tổ thử quyền")


def member(group: Group, role: str = "member", **kwargs: Any) -> Membership:
    person = PersonFactory(unit=group.unit)
    return Membership.objects.create(
        group=group, person=person, role=role, joined_on=group.founded_on, **kwargs
    )


def patrol(group: Group, **kwargs: Any) -> Patrol:
    values = {
        "date": group.founded_on,
        "start_time": dt.time(20, 0),
        "end_time": dt.time(22, 30),
        "area": "Đường ven biển",
        "hours": "2.50",
        **kwargs,
    }
    return Patrol.objects.create(group=group, **values)


def roster_slot(group: Group) -> RosterSlot:
    m = member(group)
    return RosterSlot.objects.create(
        group=group,
        person=m.person,
        date=group.founded_on,
        start_time=dt.time(19, 0),
        end_time=dt.time(21, 0),
    )


def movement_model(unit: Any, **kwargs: Any) -> MovementModel:
    values = {
        "name": f"Mô hình {next(_seq)}",
        "theme": "drug_prevention",
        "lead_organisation": "police",
        "start_date": day_in(unit),
        **kwargs,
    }
    model = MovementModel.objects.create(unit=unit, **values)
    model.units.set([unit])
    return model


def evaluation(model: MovementModel) -> ModelEvaluation:
    return ModelEvaluation.objects.create(movement_model=model, date=model.start_date, score=70)


def assessment(unit: Any, **kwargs: Any) -> FortressAssessment:
    n = next(_seq)
    start = dt.date(2020, 1, 1) + dt.timedelta(days=n * 40)
    return FortressAssessment.objects.create(
        unit=unit,
        period_start=start,
        period_end=start + dt.timedelta(days=30),
        criteria={"no_hotspot": {"label": "x", "met": True, "evidence": "ok"}},
        result="progressing",
        assessed_on=start + dt.timedelta(days=31),
        **kwargs,
    )


def pledge(unit: Any) -> ShieldPledge:
    household = HouseholdFactory(unit=unit)
    return ShieldPledge.objects.create(household=household, pledged_on=day_in(unit))


def all_checks(met: bool = True) -> dict[str, dict[str, Any]]:
    from safeward.community.choices import DEFAULT_CRITERIA

    return {
        code: {"met": met, "evidence": "biên bản họp khu" if met else ""}
        for code, _label in DEFAULT_CRITERIA
    }
