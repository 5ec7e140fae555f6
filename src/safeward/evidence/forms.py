"""Forms for footage requests and clip uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safeward.evidence.choices import ANSWERS, Response


class RequestForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    window_start = forms.DateTimeField(label=_("From"))
    window_end = forms.DateTimeField(label=_("To"))
    radius_m = forms.IntegerField(label=_("Radius (m)"), initial=200)
    cameras = forms.TypedMultipleChoiceField(
        label=_("Cameras"), coerce=int, widget=forms.CheckboxSelectMultiple
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Answer"), choices=[(a.value, a.label) for a in Response if a in ANSWERS]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Clip"))
    declared_sha256 = forms.CharField(
        label=_("SHA-256 shown by your recorder (optional)"), required=False, max_length=64
    )
    recorded_start = forms.DateTimeField(label=_("Start time shown on the recorder"))
    recorded_end = forms.DateTimeField(label=_("End time shown on the recorder"))
