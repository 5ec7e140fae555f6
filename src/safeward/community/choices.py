"""Choices for self-managed groups, movement models and drug-free assessments."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GroupType(models.TextChoices):
    SECURITY_ORDER = "security_order", _("Self-managed security-and-order group")
    INTER_FAMILY = "inter_family", _("Inter-family team")
    CIVIL_DEFENCE = "civil_defence", _("Civil defence team")
    VETERANS = "veterans", _("Veterans' team")
    YOUTH_VOLUNTEER = "youth_volunteer", _("Youth volunteer team")
    CLAN = "clan", _("Clan-based group")
    OTHER = "other", _("Other group")


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DISSOLVED = "dissolved", _("Dissolved")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy")
    MEMBER = "member", _("Member")


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS / Zalo")
    IN_PERSON = "in_person", _("In person")


class ActivityKind(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    MEETING = "meeting", _("Meeting")
    MEDIATION = "mediation", _("Mediation")
    OTHER = "other", _("Other activity")


class LeadOrganisation(models.TextChoices):
    POLICE = "police", _("Police")
    FRONT = "front", _("Fatherland Front")
    YOUTH_UNION = "youth_union", _("Youth Union")
    WOMENS_UNION = "womens_union", _("Women's Union")
    VETERANS = "veterans", _("Veterans' Association")
    FARMERS_UNION = "farmers_union", _("Farmers' Union")
    OTHER = "other", _("Other organisation")


class ModelTheme(models.TextChoices):
    DRUG_PREVENTION = "drug_prevention", _("Smart mass mobilisation for drug prevention")
    SECURITY_ORDER = "security_order", _("Security and order self-management")
    VETERANS_OFFENDERS = "veterans_offenders", _("Veterans manage and educate offenders")
    YOUTH_AT_RISK = "youth_at_risk", _("Youth at risk")
    FAMILY = "family", _("Families manage their children")
    REINTEGRATION = "reintegration", _("Reintegration of released prisoners and drug users")
    CAMERAS = "cameras", _("Community cameras")
    OTHER = "other", _("Other theme")


class ModelStatus(models.TextChoices):
    PILOTED = "piloted", _("Piloted")
    RUNNING = "running", pgettext_lazy("movement model", "Running")
    REPLICATED = "replicated", _("Replicated")
    STOPPED = "stopped", _("Stopped")


class FortressResult(models.TextChoices):
    FORTRESS = "fortress", _("Fortress")
    PROGRESSING = "progressing", _("Progressing")
    AT_RISK = "at_risk", _("At risk")


# The built-in drug-free checklist; units may add their own criteria (``FortressCriterion``).
DEFAULT_CRITERIA: list[tuple[str, Promise]] = [
    ("no_hotspot", _("No drug hotspot")),
    ("no_new_users", _("No new drug users detected")),
    ("all_pledged", _("Every household signed the family pledge")),
    ("youth_supported", _("At-risk youth have a named supporter")),
    ("sessions_held", _("Propaganda sessions held in the period")),
]
