"""Forms for the community pages; each one only offers records the user may use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.community.choices import (
    ActivityKind,
    ContactPreference,
    GroupStatus,
    GroupType,
    LeadOrganisation,
    MemberRole,
    ModelStatus,
    ModelTheme,
)
from safeward.community.models import Group
from safeward.community.services import persons_to_choose
from safeward.core.forms import DATE, TIME
from safeward.geo.choices import UnitLevel
from safeward.geo.forms import UnitChoiceField, units_for
from safeward.geo.models import AdminUnit
from safeward.people.models import Household, Person


class GroupForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=150)
    group_type = forms.ChoiceField(label=_("Type"), choices=GroupType.choices)
    founded_on = forms.DateField(label=_("Founded on"), widget=DATE, initial=timezone.localdate)
    households_covered = forms.IntegerField(label=_("Households covered"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD]
        self.fields["unit"].queryset = units_for(user, "community.add_group", levels)  # type: ignore[attr-defined]


class GroupEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    group_type = forms.ChoiceField(label=_("Type"), choices=GroupType.choices)
    households_covered = forms.IntegerField(label=_("Households covered"), min_value=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GroupStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=GroupStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Known person"), queryset=Person.objects.none(), required=False
    )
    full_name = forms.CharField(
        label=_("Or a new person's full name"), required=False, max_length=120
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial="member")
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE, initial=timezone.localdate)
    contact_preference = forms.ChoiceField(
        label=_("Contact preference"), choices=ContactPreference.choices
    )

    def __init__(self, *args: Any, user: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known = Person.objects.restrict(user, "view").filter(unit=group.unit)
        self.fields["person"].queryset = persons_to_choose(user, known, group.unit).order_by(  # type: ignore[attr-defined]
            "full_name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("full_name") or "").strip():
            raise forms.ValidationError(_("Choose a known person or type a new person's name."))
        return data


class ActiveMemberChoices:
    """Active members of a group, as a person queryset for form fields."""

    @staticmethod
    def of(group: Group) -> Any:
        ids = group.memberships.filter(left_on__isnull=True).values("person_id")
        return Person.objects.filter(pk__in=ids).order_by("full_name")


class PatrolForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    area = forms.CharField(label=_("Route or area"), max_length=200)
    members_present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    observed = forms.CharField(
        label=_("What was observed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    report_reference = forms.CharField(
        label=_("Report raised (tracking code)"), required=False, max_length=40
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = ActiveMemberChoices.of(group)  # type: ignore[attr-defined]


class RosterSlotForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Member"), queryset=Person.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    area = forms.CharField(label=_("Route or area"), required=False, max_length=200)

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = ActiveMemberChoices.of(group)  # type: ignore[attr-defined]


class MovementModelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=ModelTheme.choices)
    lead_organisation = forms.ChoiceField(
        label=_("Lead organisation"), choices=LeadOrganisation.choices
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    start_date = forms.DateField(label=_("Start date"), widget=DATE, initial=timezone.localdate)
    status = forms.ChoiceField(label=_("Status"), choices=ModelStatus.choices)
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicators = forms.CharField(
        label=_("Indicators"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD]
        self.fields["unit"].queryset = units_for(user, "community.add_movementmodel", levels[:3])  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluator = forms.CharField(label=_("Evaluator"), required=False, max_length=150)


class AssessmentForm(forms.Form):
    unit = UnitChoiceField(label=_("Neighbourhood"), queryset=AdminUnit.objects.none())
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, user: Any, checklist: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(  # type: ignore[attr-defined]
            user, "community.add_fortressassessment", [UnitLevel.NEIGHBOURHOOD]
        )
        self.checklist = checklist
        for code, label in checklist:
            self.fields[f"met_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"evidence_{code}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=300
            )

    def checks(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            code: {
                "met": data.get(f"met_{code}", False),
                "evidence": data.get(f"evidence_{code}", ""),
            }
            for code, _label in self.checklist
        }

    def criterion_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"met_{code}"], self[f"evidence_{code}"]) for code, _label in self.checklist]

    def plain_fields(self) -> list[Any]:
        return [self[name] for name in ("unit", "period_start", "period_end", "note")]


class PledgeForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none())
    pledged_on = forms.DateField(label=_("Pledged on"), widget=DATE, initial=timezone.localdate)
    signed_by = forms.CharField(label=_("Signed by"), required=False, max_length=120)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = (  # type: ignore[attr-defined]
            Household.objects.restrict(user, "view")
            .filter(shield_pledge__isnull=True, unit__valid_to__isnull=True)
            .order_by("label")
        )


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE, initial=timezone.localdate)


class ReplicateForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())
    start_date = forms.DateField(label=_("Start date"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [UnitLevel.PROVINCE, UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD]
        self.fields["unit"].queryset = units_for(user, "community.add_movementmodel", levels)  # type: ignore[attr-defined]


class CriterionEditForm(forms.Form):
    label = forms.CharField(label=_("Criterion"), max_length=200)
    active = forms.BooleanField(label=_("In use for new assessments"), required=False, initial=True)


class CriterionForm(forms.Form):
    unit = UnitChoiceField(label=_("Applies under"), queryset=AdminUnit.objects.none())
    code = forms.SlugField(label=_("Code"), max_length=40)
    label = forms.CharField(label=_("Criterion"), max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [UnitLevel.PROVINCE, UnitLevel.WARD]
        self.fields["unit"].queryset = units_for(user, "community.add_fortresscriterion", levels)  # type: ignore[attr-defined]
