"""Fixed vocabularies of the reports app: statuses, legal tracks, channels, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    VERIFYING = "verifying", _("Verifying")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [
    ReportStatus.RECEIVED,
    ReportStatus.TRIAGED,
    ReportStatus.ASSIGNED,
    ReportStatus.VERIFYING,
]
DONE_STATUSES = [ReportStatus.RESOLVED, ReportStatus.CLOSED]

# Which status may follow which; reopening goes back to triage.
TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.RECEIVED: {ReportStatus.TRIAGED, ReportStatus.ASSIGNED, ReportStatus.RESOLVED},
    ReportStatus.TRIAGED: {ReportStatus.ASSIGNED, ReportStatus.RESOLVED},
    ReportStatus.ASSIGNED: {ReportStatus.VERIFYING, ReportStatus.RESOLVED, ReportStatus.TRIAGED},
    ReportStatus.VERIFYING: {ReportStatus.RESOLVED, ReportStatus.ASSIGNED},
    ReportStatus.RESOLVED: {ReportStatus.CLOSED, ReportStatus.TRIAGED},
    ReportStatus.CLOSED: {ReportStatus.TRIAGED},
}


class LegalTrack(models.TextChoices):
    CRIME_TIP = "crime_tip", _("Crime tip")
    ADMINISTRATIVE = "administrative", _("Administrative violation")
    MEDIATION = "mediation", _("Grassroots mediation")
    CIVIC = "civic", _("Civic feedback")


# Days allowed to decide, counted from the day the report was received.
TRACK_DAYS: dict[str, int] = {
    LegalTrack.CRIME_TIP: 20,
    LegalTrack.ADMINISTRATIVE: 7,
    LegalTrack.MEDIATION: 15,
    LegalTrack.CIVIC: 15,
}
# Tracks whose clock may be extended once, and the longest total time allowed (months).
TRACK_EXTENSION_MONTHS: dict[str, int] = {LegalTrack.CRIME_TIP: 2}
DUE_SOON_DAYS = 3


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("App / API")
    OPEN311 = "open311", _("Open311")
    PHONE = "phone", _("Staff, on behalf of a caller")
    WALK_IN = "walk_in", _("Staff, walk-in")


STAFF_CHANNELS = [Channel.PHONE, Channel.WALK_IN]


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Outcome(models.TextChoices):
    FINE = "fine", _("Violation confirmed: administrative fine")
    WARNING = "warning", _("Violation confirmed: warning")
    MEDIATION = "mediation", _("Violation confirmed: mediation agreement")
    CRIMINAL_CASE = "criminal_case", _("Violation confirmed: criminal case opened")
    REFERRED = "referred", _("Violation confirmed: referred to another agency")
    UNFOUNDED = "unfounded", _("Unfounded")
    DUPLICATE = "duplicate", _("Duplicate")


VIOLATION_OUTCOMES = [
    Outcome.FINE,
    Outcome.WARNING,
    Outcome.MEDIATION,
    Outcome.CRIMINAL_CASE,
    Outcome.REFERRED,
]


class AttributeType(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("Single choice")
    MULTI = "multivaluelist", _("Multiple choice")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    PLACE = "place", _("Place corrected")
    EXTENDED = "extended", _("Deadline extended")
    OUTCOME = "outcome", _("Outcome recorded")
    MERGED = "merged", _("Merged")
    NOTE = "note", _("Internal note")
    MESSAGE = "message", _("Message")


class MessageSender(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    STAFF = "staff", _("Officer")


MAX_TEXT = 4000
