"""Forms for sessions, posts, courses and participants."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.community import services as community
from safeward.core.forms import DATE, TIME
from safeward.geo.choices import UnitLevel
from safeward.geo.forms import UnitChoiceField, units_for
from safeward.geo.models import AdminUnit
from safeward.outreach.choices import (
    CourseResult,
    Organiser,
    Platform,
    PostKind,
    SessionForm,
    SessionStatus,
    Topic,
)
from safeward.people.models import Person

LEVELS = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD]


class SessionRecordForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    start_time = forms.TimeField(label=_("Start"), widget=TIME, required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    form = forms.ChoiceField(label=_("Form"), choices=SessionForm.choices)
    organisers = forms.MultipleChoiceField(
        label=_("Organisers"), choices=Organiser.choices, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.CharField(label=_("Target audience"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=SessionStatus.choices)
    attendance = forms.IntegerField(label=_("Attendance"), initial=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, "outreach.add_session", LEVELS)  # type: ignore[attr-defined]


class PostForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=PostKind.choices)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    reach = forms.IntegerField(label=_("Reach"), initial=0)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, "outreach.add_socialpost", LEVELS)  # type: ignore[attr-defined]


class CourseForm(forms.Form):
    unit = UnitChoiceField(label=_("Organising unit"), queryset=AdminUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    topics = forms.CharField(
        label=_("Curriculum topics"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    trainers = forms.CharField(label=_("Trainers"), required=False, max_length=300)
    organiser = forms.ChoiceField(label=_("Organiser"), choices=Organiser.choices)
    requires_group_role = forms.BooleanField(
        label=_("Participants must belong to a group"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, "outreach.add_course", LEVELS[:3])  # type: ignore[attr-defined]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.unit.name}"


class ParticipantForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(self, *args: Any, user: Any, course: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = (
            Person.objects.restrict(user, "view")
            .filter(unit__path__startswith=course.unit.path)
            .exclude(pk__in=course.participants.values("person_id"))
        )
        if course.requires_group_role:
            members = community.memberships_in([course.unit.path]).values("person_id")
            people = people.filter(pk__in=members)
        people = community.persons_to_choose(user, people, course.unit)
        self.fields["person"].queryset = people.select_related("unit").order_by("full_name")  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    days = forms.MultipleChoiceField(
        label=_("Days attended"), required=False, widget=forms.CheckboxSelectMultiple
    )
    result = forms.ChoiceField(label=_("Result"), choices=CourseResult.choices)

    def __init__(self, *args: Any, course: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (d.isoformat(), d.strftime("%d/%m/%Y")) for d in course.days()
        ]  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class RosterForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0)

    def __init__(self, *args: Any, user: Any, session: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user, "view").filter(
            unit__path__startswith=session.unit.path
        )
        self.fields["attendees"].queryset = community.persons_to_choose(  # type: ignore[attr-defined]
            user, people, session.unit
        ).order_by("full_name")
