from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class NeighbourhoodForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Unique, e.g. 06865-KP12"))
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("e.g. Khu 12"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("Khu phố", _("Neighbourhood (khu phố)")),
            ("Thôn", _("Village (thôn)")),
            ("Tổ dân phố", _("Residential group (tổ dân phố)")),
            ("Bản", _("Hamlet (bản)")),
        ],
    )
    centroid_lat = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90
    )
    centroid_lon = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)
    boundary = forms.CharField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional Polygon or MultiPolygon, longitude before latitude."),
    )

    def clean_boundary(self) -> Any:
        raw = self.cleaned_data.get("boundary", "").strip()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("The boundary is not valid JSON (line {line}, column {col}).").format(
                    line=exc.lineno, col=exc.colno
                )
            ) from exc
