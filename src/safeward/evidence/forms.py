"""Forms for footage requests and clip uploads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeward.evidence.choices import ANSWERS, Acquisition, Response, RetentionCategory
from safeward.evidence.models import RequestTarget


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
    reason_outside_window = forms.CharField(
        label=_("Reason to keep footage outside the approved window"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the clip starts before or ends after the approved window."),
    )


class RetentionForm(forms.Form):
    retention = forms.ChoiceField(label=_("Retention"), choices=RetentionCategory.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class OfficerUploadForm(forms.Form):
    """A clip an officer extracted on site (or was handed), uploaded against one requested camera."""

    target = forms.TypedChoiceField(label=_("Camera"), coerce=int)
    file = forms.FileField(label=_("Clip"))
    acquisition = forms.ChoiceField(
        label=_("Acquisition method"),
        choices=Acquisition.choices,
        initial=Acquisition.OFFICER_EXTRACTION,
    )
    minutes_reference = forms.CharField(label=_("Minutes reference"), max_length=60, required=False)
    recorded_start = forms.DateTimeField(label=_("Start time shown on the recorder"))
    recorded_end = forms.DateTimeField(label=_("End time shown on the recorder"))
    clock_offset_s = forms.IntegerField(
        label=_("Recorder clock offset (s)"),
        required=False,
        help_text=_("Recorder time minus true time; leave empty to use the camera's last check."),
    )
    declared_sha256 = forms.CharField(
        label=_("SHA-256 shown by the recorder (optional)"), required=False, max_length=64
    )
    reason_outside_window = forms.CharField(
        label=_("Reason to keep footage outside the approved window"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the clip starts before or ends after the approved window."),
    )

    def __init__(self, *args: Any, targets: Iterable[RequestTarget] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (t.pk, f"#{t.camera_id} {t.camera.custodian_label}")
            for t in targets
            if t.response not in (Response.DECLINED, Response.SKIPPED)
        ]
