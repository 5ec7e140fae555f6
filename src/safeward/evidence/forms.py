"""Forms for footage requests and clip uploads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from safeward.evidence.choices import ANSWERS, Acquisition, Response, RetentionCategory
from safeward.evidence.models import RequestTarget
from safeward.evidence.services.requests import FUTURE_SLACK, HARD_MAX_WINDOW

LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


class WindowInput(forms.DateTimeInput):
    """The browser's own date and time picker, to the minute."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": 60, **(attrs or {})}, format=LOCAL_INPUT)


class RequestForm(forms.Form):
    """The request's purpose, footage window and radius; the window is checked here to the
    minute (it ends after it starts, not in the future, within the hard maximum) and again
    by the service."""

    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    window_start = forms.DateTimeField(
        label=_("From"), input_formats=[LOCAL_INPUT, "%d/%m/%Y %H:%M"], widget=WindowInput()
    )
    window_end = forms.DateTimeField(
        label=_("To"), input_formats=[LOCAL_INPUT, "%d/%m/%Y %H:%M"], widget=WindowInput()
    )
    radius_m = forms.IntegerField(label=_("Radius (m)"), initial=200)
    cameras = forms.TypedMultipleChoiceField(
        label=_("Cameras"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def limit_window(self, earliest: dt.datetime, latest: dt.datetime) -> None:
        """Offer only times between ``earliest`` and ``latest`` in the pickers."""
        bounds = {
            "min": timezone.localtime(earliest).strftime(LOCAL_INPUT),
            "max": timezone.localtime(latest).strftime(LOCAL_INPUT),
        }
        for name in ("window_start", "window_end"):
            self.fields[name].widget.attrs.update(bounds)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start is None or end is None:
            return data
        if end <= start:
            self.add_error(
                "window_end",
                _("The window must end after it starts ({start}).").format(start=_local(start)),
            )
        elif end - start > HARD_MAX_WINDOW:
            self.add_error(
                "window_end",
                _("The window may last at most 24 hours: end it by {latest}.").format(
                    latest=_local(start + HARD_MAX_WINDOW)
                ),
            )
        if end > timezone.now() + FUTURE_SLACK:
            self.add_error(
                "window_end",
                _(
                    "The window cannot end in the future: footage after {now} is not recorded yet."
                ).format(now=_local(timezone.now())),
            )
        return data


def _local(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


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
