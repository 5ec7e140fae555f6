"""Choices for cameras, consents and funding."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustodianKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    BUSINESS = "business", _("Business")
    GROUP = "group", _("Residents' group")


class ContactChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")


class RecordingMode(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuous")
    MOTION = "motion", _("On motion")
    SCHEDULED = "scheduled", _("Scheduled hours")


class SharingMode(models.TextChoices):
    REGISTRY = "registry", _("Registry only")
    ON_REQUEST = "on_request", _("On request")
    LIVE = "live", _("Live to ward police")


REQUESTABLE = (SharingMode.ON_REQUEST, SharingMode.LIVE)


class CameraStatus(models.TextChoices):
    WORKING = "working", _("Working")
    BROKEN = "broken", _("Broken")
    RETIRED = "retired", _("Retired")


class ConsentCapture(models.TextChoices):
    PAPER = "paper", _("Signed paper form")
    IN_APP = "in_app", _("In the app")
    WITNESSED = "witnessed", _("Verbal, witnessed by an officer")
    IMPORT = "import", _("Imported register")


class OrganiserKind(models.TextChoices):
    FRONT = "front", _("Fatherland Front committee")
    GROUP = "group", _("Residents' group")


class Listing(models.TextChoices):
    PUBLIC = "public", _("Listed by name")
    ANONYMOUS = "anonymous", _("Anonymous")


class ExpenseKind(models.TextChoices):
    CAMERAS = "cameras", _("Cameras")
    INSTALLATION = "installation", _("Installation")
    REPAIRS = "repairs", _("Repairs")
    OTHER = "other", _("Other")
