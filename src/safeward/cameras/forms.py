"""Forms for cameras and campaigns; the services do the checking."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safeward.cameras.choices import (
    ConsentCapture,
    ExpenseKind,
    Listing,
    OrganiserKind,
)
from safeward.cameras.models import Camera, Campaign
from safeward.cameras.services import CAMERA_FIELDS


def camera_fields() -> dict[str, forms.Field]:
    """Form fields for the services' ``CAMERA_FIELDS``, from the model (labels, choices)."""
    own = forms.fields_for_model(Camera, fields=CAMERA_FIELDS)
    # The services check ranges and name the field at fault; the form only parses.
    for field in own.values():
        field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
    return own


class CameraEditForm(forms.Form):
    """The camera's own fields, and how fresh consent was captured if the sharing changes."""

    consent_captured_how = forms.ChoiceField(
        label=_("Consent captured"), choices=ConsentCapture.choices
    )


CameraEditForm.base_fields = {**camera_fields(), **CameraEditForm.base_fields}


class CameraForm(forms.Form):
    """Registering: the neighbourhood, the camera's fields and how consent was captured."""

    unit = forms.IntegerField(label=_("Neighbourhood (unit id)"))


CameraForm.base_fields = {**CameraForm.base_fields, **CameraEditForm.base_fields}


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
