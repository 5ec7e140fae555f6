"""The periodic report request form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.analytics.choices import ReportFormat
from safeward.geo.models import AdminUnit


class PeriodicReportForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=_("Unit"))
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    fmt = forms.ChoiceField(choices=ReportFormat.choices, label=_("Format"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        year = timezone.localdate().year - 1
        kwargs["initial"] = kwargs.get("initial") or {
            "date_from": dt.date(year, 1, 1),
            "date_to": dt.date(year, 12, 31),
        }
        super().__init__(*args, **kwargs)
        units = AdminUnit.objects.restrict(user).filter(level__in=["province", "district", "ward"])
        self.fields["unit"].queryset = units.order_by("depth", "path")  # type: ignore[attr-defined]
