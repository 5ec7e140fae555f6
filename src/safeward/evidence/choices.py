"""Choices for footage requests, custodian answers and evidence items."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


class Response(models.TextChoices):
    WAITING = "waiting", _("Waiting for the custodian")
    PROVIDED = "provided", _("Provided")
    DECLINED = "declined", _("Declined")
    NOTHING = "nothing", _("Nothing recorded")
    OVERWRITTEN = "overwritten", _("Already overwritten")
    SKIPPED = "skipped", _("Not sent: consent withdrawn")


ANSWERS = (Response.PROVIDED, Response.DECLINED, Response.NOTHING, Response.OVERWRITTEN)


class DeliveryState(models.TextChoices):
    """Where one attempt to bring a custodian their link stands; each step sets its own."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")
    OPENED = "opened", _("Link opened")
    ANSWERED = "answered", _("Answered")


class DeliveryAnswer(models.TextChoices):
    UPLOADED = "uploaded", _("Clip uploaded")
    PROVIDED = "provided", _("Will share")
    DECLINED = "declined", _("Declined")
    NOTHING = "nothing", _("Nothing recorded")
    OVERWRITTEN = "overwritten", _("Already overwritten")


class DeliveryFailure(models.TextChoices):
    NO_CONTACT = "no_contact", _("No email address or phone number to send to")
    NO_CHANNEL = "no_channel", _("The custodian chose the app or a phone call: give them the link")
    NO_GATEWAY = "no_gateway", _("No SMS gateway is configured")
    ERROR = "error", _("Sending failed")
    REPLACED = "replaced", _("Replaced by a newer link before it was sent")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class Acquisition(models.TextChoices):
    CUSTODIAN_UPLOAD = "custodian_upload", _("Uploaded by the custodian")
    OFFICER_EXTRACTION = "officer_extraction", _("Extracted on site by an officer")


class RetentionCategory(models.TextChoices):
    SHORT = "short", _("Not linked to a case: short keeping")
    CASE = "case", _("Linked to an open case: kept")
    LEGAL_HOLD = "legal_hold", _("Legal hold")


class CustodyAction(models.TextChoices):
    ACQUIRED = "acquired", _("Acquired")
    UPLOADED = "uploaded", _("Uploaded")
    HASH_VERIFIED = "hash_verified", _("Hash verified")
    VIEWED = "viewed", _("Viewed")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported")
    SHARED = "shared", _("Shared")
    RETENTION_CHANGED = "retention_changed", _("Retention changed")
    DELETED = "deleted", _("Deleted")
