"""Forms for the resident intake page, tracking, and the staff actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from safeward.accounts.models import User
from safeward.core.errors import DomainError
from safeward.core.fields import DeliberateChoiceField, ScopedModelChoiceField
from safeward.core.uploads import upload_name
from safeward.geo.choices import UnitLevel
from safeward.geo.forms import CurrentUnitChoiceField
from safeward.geo.models import AdminUnit
from safeward.reports.choices import MAX_TEXT, AttributeType, Channel, Outcome, Priority
from safeward.reports.models import ServiceCategory, normal_tracking_code, option_label
from safeward.reports.services import ReporterInfo
from safeward.reports.uploads import clean_uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def current_wards() -> Any:
    return AdminUnit.objects.current().filter(level=UnitLevel.WARD).natural()


def attribute_field(attr: Any) -> forms.Field:
    choices = attr.options()
    label, required = attr.description, attr.required
    if attr.datatype == AttributeType.NUMBER:
        return forms.DecimalField(label=label, required=required)
    if attr.datatype == AttributeType.DATETIME:
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
        return forms.DateTimeField(label=label, required=required, widget=widget)
    if attr.datatype == AttributeType.SINGLE:
        return forms.ChoiceField(label=label, required=required, choices=[("", "—"), *choices])
    if attr.datatype == AttributeType.MULTI:
        return forms.MultipleChoiceField(
            label=label, required=required, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    if attr.datatype == AttributeType.TEXT:
        area = forms.Textarea(attrs={"rows": 3})
        return forms.CharField(label=label, required=required, max_length=MAX_TEXT, widget=area)
    return forms.CharField(label=label, required=required, max_length=MAX_TEXT)


class ReportForm(forms.Form):
    """What a resident (or an officer taking a call) tells us."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=ServiceCategory.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("Choose…"),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
        help_text=_("Who, what, where, when. Do not put yourself in danger."),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    unit = CurrentUnitChoiceField(
        label=_("Ward"),
        queryset=AdminUnit.objects.none(),
        required=False,
        empty_label=_("Use the place on the map"),
        help_text=_("Choose the ward if you do not share your location."),
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=255, required=False)
    occurred_at = forms.DateTimeField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty if it is happening now."),
    )
    attachments = MultipleFileField(
        label=_("Photos or videos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,video/*"}),
    )
    anonymous = forms.BooleanField(label=_("Stay anonymous"), required=False, initial=True)
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args: Any, category: ServiceCategory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = current_wards()  # type: ignore[attr-defined]
        self.chosen_category = category or self._posted_category()
        if self.chosen_category is not None:
            for attr in self.chosen_category.attributes.all():
                self.fields[f"attr_{attr.code}"] = attribute_field(attr)

    def _posted_category(self) -> ServiceCategory | None:
        code = self.data.get("category") if self.data else None
        return ServiceCategory.objects.filter(code=code, active=True).first() if code else None

    def attribute_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("attr_")]

    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_names()]

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in self.attribute_names():
            value: Any = self.cleaned_data.get(name)
            if isinstance(value, dt.datetime):
                value = value.isoformat()
            elif value is not None and not isinstance(value, str | list):
                value = str(value)
            result[name[len("attr_") :]] = value
        return result

    def submission(self) -> dict[str, Any]:
        """What ``report_submit`` takes from this form (the channel aside), the reporter's
        details as one ``ReporterInfo`` and the attachments cleaned of their metadata."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data["description"],
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "unit": data.get("unit"),
            "address": data.get("address") or "",
            "occurred_at": data.get("occurred_at"),
            "attributes": self.answers(),
            "reporter": ReporterInfo(
                data.get("name") or "",
                data.get("phone") or "",
                data.get("email") or "",
                data["anonymous"],
            ),
            "uploads": clean_uploads(data.get("attachments") or []),
        }

    def ask_for_files_again(self) -> None:
        """A refused form comes back without the files that were chosen (a browser cannot
        refill a file field): name them by the field and above the form."""
        chosen = self.files.getlist("attachments") if self.files else []
        if not chosen:
            return
        names, count = ", ".join(upload_name(f) for f in chosen), len(chosen)
        self.add_error(
            "attachments",
            ngettext(
                "{names} must be chosen again: a browser does not keep a chosen file when a "
                "form is sent back.",
                "{names} must be chosen again: a browser does not keep chosen files when a "
                "form is sent back.",
                count,
            ).format(names=names),
        )
        self.add_error(
            None,
            ngettext(
                "The file {names} was not kept: choose it again before sending.",
                "The files {names} were not kept: choose them again before sending.",
                count,
            ).format(names=names),
        )

    def apply_error(self, error: DomainError) -> None:
        """Show a service's error on the field it names (attributes map to ``attr_<code>``)."""
        field = error.field or ""
        if field.startswith("attribute["):
            field = "attr_" + field[len("attribute[") : -1]
        field = {"lat": "latitude", "long": "longitude"}.get(field, field)
        self.add_error(field if field in self.fields else None, error.message)


class StaffReportForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.WALK_IN, Channel.WALK_IN.label)],
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=16)
    secret = forms.CharField(label=_("Secret"), max_length=20, required=False)

    def clean_code(self) -> str:
        return normal_tracking_code(str(self.cleaned_data["code"]))


class PlaceForm(forms.Form):
    unit = CurrentUnitChoiceField(label=_("Ward"), queryset=AdminUnit.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = current_wards()  # type: ignore[attr-defined]


PUBLIC_HELP = _("Shown to the reporter")
INTERNAL_HELP = _("Internal: never shown to the reporter")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        help_text=PUBLIC_HELP,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfficerChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class AssignForm(forms.Form):
    assignee = OfficerChoiceField(User, label=_("Officer"), required=False)
    team = forms.CharField(label=_("Team"), max_length=80, required=False)

    def __init__(self, *args: Any, user: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only officers the user may see: an id of anyone else is as unknown as a missing one.
        self.fields["assignee"].scope_to(user, officers)  # type: ignore[attr-defined]


class ResolveForm(forms.Form):
    outcome = DeliberateChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        required_message=_("Choose the outcome: nothing is recorded until you do."),
    )
    public_note = forms.CharField(
        label=_("Public note"),
        help_text=PUBLIC_HELP,
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        help_text=INTERNAL_HELP,
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(forms.Form):
    due_on = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), help_text=INTERNAL_HELP, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), help_text=INTERNAL_HELP, max_length=500)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"),
        help_text=INTERNAL_HELP,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkMergeForm(forms.Form):
    """Which of the chosen reports is kept; the others are closed as its duplicates."""

    keep = forms.ChoiceField(
        label=_("Keep this report"),
        choices=[],
        widget=forms.RadioSelect,  # none chosen at first: nothing is merged by a careless click
        error_messages={
            "required": _("Choose the report to keep: nothing is merged until you do.")
        },
        help_text=_("The others are closed as its duplicates; their reporters follow it."),
    )

    def __init__(self, *args: Any, reports: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reports = reports
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), f"{r.tracking_code} · {r.category.name} · {r.unit.name}") for r in reports
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len(self.reports) < 2:
            raise forms.ValidationError(_("Choose two or more reports to merge."))
        if data.get("keep"):
            data["keep"] = int(data["keep"])
        return data


class MergeForm(forms.Form):
    into = forms.IntegerField(widget=forms.HiddenInput)


LANGUAGE_NAMES = {"vi": _("Vietnamese"), "en": _("English"), "ar": _("Arabic")}


class CategoryTextsForm(forms.Form):
    """A category's texts and its questions' and answers' wording, side by side in each
    language; Vietnamese is what every reader sees where their own language is empty."""

    def __init__(self, *args: Any, category: ServiceCategory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.sections: list[tuple[Any, str, list[str]]] = []
        self._section(_("Name"), "name", category, "c_name", 120, required=True)
        self._section(_("Description"), "description", category, "c_description", 500)
        self._section(pgettext_lazy("report category", "Group"), "group", category, "c_group", 80)
        self.questions = list(category.attributes.all())
        for i, question in enumerate(self.questions):
            legend = _("Question “{text}”").format(text=question.description)
            self._section(legend, "description", question, f"q{i}", 200, required=True)
            for j, option in enumerate(question.values):
                legend = _("Answer “{text}” to “{question}”").format(
                    text=option_label(option), question=question.description
                )
                self._option_section(legend, option, f"o{i}_{j}")

    def _add(self, prefix: str, initial: dict[str, Any], size: int, required: bool) -> list[str]:
        names = []
        for lang, language in LANGUAGE_NAMES.items():
            name = f"{prefix}_{lang}"
            # Each input is written in its own language and direction, whatever the page's.
            attrs = {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}
            widget = forms.Textarea(attrs={**attrs, "rows": 2}) if size > 200 else None
            self.fields[name] = forms.CharField(
                label=language,
                max_length=size,
                required=required and lang == "vi",
                widget=widget or forms.TextInput(attrs=attrs),
            )
            self.initial.setdefault(name, initial.get(lang) or "")
            names.append(name)
        return names

    def _section(
        self, legend: Any, field: str, row: Any, prefix: str, size: int, required: bool = False
    ) -> None:
        initial = {lang: getattr(row, f"{field}_{lang}") for lang in LANGUAGE_NAMES}
        self.sections.append((legend, prefix, self._add(prefix, initial, size, required)))

    def _option_section(self, legend: Any, option: dict[str, Any], prefix: str) -> None:
        initial = {
            lang: option.get("name" if lang == "vi" else f"name_{lang}") for lang in LANGUAGE_NAMES
        }
        self.sections.append((legend, prefix, self._add(prefix, initial, 120, True)))

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, _p, names in self.sections]

    def _texts(self, prefix: str) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"{prefix}_{lang}", "") for lang in LANGUAGE_NAMES}

    def service_data(self) -> dict[str, Any]:
        """What ``category_texts_change`` takes: texts, questions and answers by language."""
        questions, options = {}, {}
        for i, question in enumerate(self.questions):
            questions[question.code] = self._texts(f"q{i}")
            options[question.code] = {
                str(option["key"]): self._texts(f"o{i}_{j}")
                for j, option in enumerate(question.values)
            }
        texts = {field: self._texts(f"c_{field}") for field in ("name", "description", "group")}
        return {"texts": texts, "questions": questions, "options": options}
