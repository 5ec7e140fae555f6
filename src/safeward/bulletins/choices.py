"""The bulletins' fixed vocabularies: CAP 1.2's own, the audiences and the delivery states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    # CAP 1.2 categories a ward's bulletins use.
    SECURITY = "Security", pgettext_lazy("cap category", "Security")
    SAFETY = "Safety", _("Public safety")
    HEALTH = "Health", _("Health")
    OTHER = "Other", _("Other")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Immediate")
    EXPECTED = "Expected", _("Expected")
    FUTURE = "Future", _("Future")
    PAST = "Past", _("Past")
    UNKNOWN = "Unknown", pgettext_lazy("urgency", "Unknown")


class Severity(models.TextChoices):
    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")
    UNKNOWN = "Unknown", pgettext_lazy("severity", "Unknown")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", pgettext_lazy("certainty", "Observed")
    LIKELY = "Likely", _("Likely")
    POSSIBLE = "Possible", _("Possible")
    UNLIKELY = "Unlikely", _("Unlikely")
    UNKNOWN = "Unknown", pgettext_lazy("certainty", "Unknown")


class MsgType(models.TextChoices):
    ALERT = "Alert", pgettext_lazy("bulletin type", "Alert")
    UPDATE = "Update", pgettext_lazy("bulletin type", "Update")
    CANCEL = "Cancel", pgettext_lazy("bulletin type", "Cancel")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin", "Draft")
    AWAITING = "awaiting", _("Awaiting a second approver")
    APPROVED = "approved", pgettext_lazy("bulletin", "Approved")
    SENT = "sent", pgettext_lazy("bulletin", "Sent")


class AudienceKind(models.TextChoices):
    UNIT = "unit", _("Residents of an area")
    GROUP = "group", _("Self-managed group")
    COHORT = "cohort", _("Restricted cohort")


class CohortKind(models.TextChoices):
    HIGH_RISK_FAMILY = "high_risk_family", _("Families with high-risk members")
    REHAB = "rehab", _("People in community-based drug rehabilitation")
    REHAB_FAMILY = "rehab_family", _("Families of people in community-based rehabilitation")


class Channel(models.TextChoices):
    APP = "app", _("In-app inbox")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("delivery", "Queued")
    SENDING = "sending", pgettext_lazy("delivery", "Sending")
    SENT = "sent", pgettext_lazy("delivery", "Sent")
    DELIVERED = "delivered", pgettext_lazy("delivery", "Delivered")
    FAILED = "failed", pgettext_lazy("delivery", "Failed")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("delivery", "Acknowledged")


class Answer(models.TextChoices):
    SEEN = "seen", _("Seen")
    NEED_HELP = "need_help", _("I need help")
    INFORMATION = "information", _("I have information")
