"""The staff forms of bulletins: writing one (texts per language, audiences, expiry) and
sending it again to those who have not answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.bulletins.choices import AudienceKind, Category, Certainty, MsgType, Severity, Urgency
from safeward.bulletins.models import Bulletin, Cohort
from safeward.bulletins.services import Audience, Text
from safeward.geo.choices import UnitLevel
from safeward.geo.forms import UnitChoiceField, units_for
from safeward.geo.models import AdminUnit

LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows
LEVELS = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD]
LANGUAGES = (("vi", _("Vietnamese")), ("en", _("English")), ("ar", _("Arabic")))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(attrs={"step": 60}, format=LOCAL_INPUT)


class GroupChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Groups by name and unit: many wards have a “Khu 1” group."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.unit.name}"


class BulletinForm(forms.Form):
    """A bulletin as its writer sees it: the Vietnamese text is required, English and
    Arabic optional; at least one audience among areas, groups and restricted cohorts
    (these last offered to their keepers only)."""

    unit = UnitChoiceField(label=_("Sent by"), queryset=AdminUnit.objects.none())
    msg_type = forms.ChoiceField(
        label=_("Message type"), choices=MsgType.choices, initial=MsgType.ALERT
    )
    references = forms.ModelChoiceField(
        label=_("Changes bulletin"),
        queryset=Bulletin.objects.none(),
        required=False,
        help_text=_("For an update or a cancellation: the sent bulletin it changes."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    event = forms.CharField(label=_("Event"), max_length=120, help_text=_("e.g. “Drug situation”"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    certainty = forms.ChoiceField(label=_("Certainty"), choices=Certainty.choices)
    expires_at = forms.DateTimeField(
        label=_("Expires at"), input_formats=[LOCAL_INPUT], widget=LocalDateTimeInput()
    )
    area_units = forms.ModelMultipleChoiceField(
        label=_("Residents of"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("Public: residents of these units who subscribed to the category."),
    )
    groups = GroupChoiceField(
        label=_("Self-managed groups"),
        queryset=Cohort.objects.none(),  # the groups the writer sees, set per user
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose several with Ctrl (or ⌘), or by touch on a phone."),
    )
    cohorts = forms.ModelMultipleChoiceField(
        label=_("Restricted cohorts"),
        queryset=Cohort.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Needs a second officer's approval; recipients read the neutral wording."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = units_for(user, "bulletins.add_bulletin", LEVELS)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["area_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["references"].queryset = (  # type: ignore[attr-defined]
            Bulletin.objects.restrict(user, "change")
            .filter(status="sent", msg_type__in=[MsgType.ALERT, MsgType.UPDATE])
            .order_by("-sent_at")[:100]
        )
        groups = apps.get_model("community", "Group")._default_manager
        self.fields["groups"].queryset = (  # type: ignore[attr-defined]
            groups.restrict(user, "view")
            .filter(status="active")
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        cohorts = Cohort.objects.restrict(user, "view").select_related("unit")
        self.fields["cohorts"].queryset = cohorts  # type: ignore[attr-defined]
        if not cohorts.exists():
            del self.fields["cohorts"]  # a restricted cohort is not even named to others
        if not self.is_bound:
            self.initial.setdefault(
                "expires_at", (timezone.localtime() + dt.timedelta(days=7)).replace(second=0)
            )
        for code, label in LANGUAGES:
            required = code == "vi"
            self.fields[f"headline_{code}"] = forms.CharField(
                label=_("Headline ({language})").format(language=label),
                max_length=160,
                required=required,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Text ({language})").format(language=label),
                max_length=4000,
                required=required,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"instruction_{code}"] = forms.CharField(
                label=_("What to do ({language})").format(language=label),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, label in LANGUAGES[1:]:
            given = [data.get(f"{n}_{code}") for n in ("headline", "description")]
            if any(given) and not all(given):
                self.add_error(
                    f"headline_{code}" if not given[0] else f"description_{code}",
                    _("Write both the headline and the text in {language}, or neither.").format(
                        language=label
                    ),
                )
        if not (data.get("area_units") or data.get("groups") or data.get("cohorts")):
            self.add_error(None, _("Choose who receives the bulletin."))
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned form as ``bulletin_draft`` takes it."""
        data = self.cleaned_data
        texts = [
            Text(
                code,
                data[f"headline_{code}"],
                data[f"description_{code}"],
                data.get(f"instruction_{code}", ""),
            )
            for code, _label in LANGUAGES
            if data.get(f"headline_{code}")
        ]
        audiences = [Audience(AudienceKind.UNIT, u) for u in data.get("area_units") or []]
        audiences += [Audience(AudienceKind.GROUP, g) for g in data.get("groups") or []]
        audiences += [Audience(AudienceKind.COHORT, c) for c in data.get("cohorts") or []]
        return {
            "unit": data["unit"],
            "msg_type": data["msg_type"],
            "references": data.get("references"),
            "category": data["category"],
            "event": data["event"],
            "urgency": data["urgency"],
            "severity": data["severity"],
            "certainty": data["certainty"],
            "expires_at": data["expires_at"],
            "texts": texts,
            "audiences": audiences,
            "area_units": list(data.get("area_units") or []),
        }


class ResendForm(forms.Form):
    after_hours = forms.IntegerField(
        label=_("Not answered after (hours)"), min_value=1, max_value=720, initial=24
    )
