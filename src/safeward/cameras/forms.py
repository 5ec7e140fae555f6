"""Forms for cameras and campaigns; the services do the checking."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safeward.cameras.choices import (
    CameraStatus,
    ConsentCapture,
    ContactChannel,
    CustodianKind,
    ExpenseKind,
    Listing,
    OrganiserKind,
    RecordingMode,
    SharingMode,
)
from safeward.cameras.models import Camera, Campaign

EDITABLE = [
    "custodian_kind",
    "custodian_label",
    "contact",
    "preferred_channel",
    "latitude",
    "longitude",
    "bearing",
    "fov",
    "range_m",
    "recording_mode",
    "retention_days",
    "sharing_mode",
    "status",
    "last_verified",
    "clock_offset_s",
    "installed_on",
    "cost_vnd",
    "signage_confirmed",
]


class CameraForm(forms.Form):
    unit = forms.IntegerField(label=_("Neighbourhood (unit id)"))
    custodian_kind = forms.ChoiceField(label=_("Custodian kind"), choices=CustodianKind.choices)
    custodian_label = forms.CharField(label=_("Custodian"), max_length=120)
    contact = forms.CharField(label=_("Contact"), max_length=120, required=False)
    preferred_channel = forms.ChoiceField(
        label=_("Preferred channel"), choices=ContactChannel.choices
    )
    latitude = forms.FloatField(label=_("Latitude"))
    longitude = forms.FloatField(label=_("Longitude"))
    bearing = forms.FloatField(label=_("Bearing (degrees)"), initial=0)
    fov = forms.FloatField(label=_("Field of view (degrees)"), initial=90)
    range_m = forms.IntegerField(label=_("Range (m)"), initial=30)
    recording_mode = forms.ChoiceField(label=_("Recording mode"), choices=RecordingMode.choices)
    retention_days = forms.IntegerField(label=_("Retention (days)"), initial=7)
    sharing_mode = forms.ChoiceField(label=_("Sharing mode"), choices=SharingMode.choices)
    status = forms.ChoiceField(label=_("Status"), choices=CameraStatus.choices)
    last_verified = forms.DateField(label=_("Last verified"), required=False)
    clock_offset_s = forms.IntegerField(label=_("Clock offset (s)"), initial=0)
    installed_on = forms.DateField(label=_("Installed on"), required=False)
    cost_vnd = forms.IntegerField(label=_("Cost (VND)"), initial=0)
    signage_confirmed = forms.BooleanField(label=_("Signage confirmed"), required=False)
    consent_captured_how = forms.ChoiceField(
        label=_("Consent captured"), choices=ConsentCapture.choices
    )

    @classmethod
    def for_camera(cls, camera: Camera) -> CameraForm:
        initial = {name: getattr(camera, name) for name in EDITABLE}
        form = cls(initial={**initial, "unit": camera.unit_id})
        form.fields["unit"].disabled = True
        return form


class CampaignForm(forms.Form):
    unit = forms.IntegerField(label=_("Neighbourhood or ward (unit id)"))
    title = forms.CharField(label=_("Title"), max_length=160)
    goal_vnd = forms.IntegerField(label=_("Goal (VND)"))
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"), required=False)
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=OrganiserKind.choices)
    organiser_label = forms.CharField(label=_("Organiser name"), max_length=160, required=False)


class CampaignEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    goal_vnd = forms.IntegerField(label=_("Goal (VND)"))
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"), required=False)
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=OrganiserKind.choices)
    organiser_label = forms.CharField(label=_("Organiser name"), max_length=160, required=False)

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> CampaignEditForm:
        return cls(initial={name: getattr(campaign, name) for name in cls.base_fields})


class VoidForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for voiding"), max_length=500)


class ContributionForm(forms.Form):
    donor_name = forms.CharField(label=_("Donor"), max_length=160)
    amount_vnd = forms.IntegerField(label=_("Amount (VND)"))
    date = forms.DateField(label=_("Date"))
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=40, required=False)
    listing = forms.ChoiceField(label=_("Listing"), choices=Listing.choices)


class ExpenseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpenseKind.choices)
    amount_vnd = forms.IntegerField(label=_("Amount (VND)"))
    date = forms.DateField(label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
