"""Choices for outreach sessions, social posts and training courses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Topic(models.TextChoices):
    CRIME = "crime", _("Crime prevention")
    DRUGS = "drugs", _("Drug prevention")
    FRAUD_CYBER = "fraud_cyber", _("Fraud and cyber-crime")
    TRAFFIC = "traffic", _("Traffic order")
    FIRE = "fire", _("Fire safety")
    LAW = "law", _("Law dissemination")
    OTHER = "other", _("Other topic")


class SessionForm(models.TextChoices):
    IN_PERSON = "in_person", _("In-person meeting")
    LOUDSPEAKER = "loudspeaker", _("Loudspeaker broadcast")
    SCHOOL = "school", _("School session")
    SOCIAL_POST = "social_post", _("Social-media post")
    LIVESTREAM = "livestream", _("Livestream")


ONLINE_FORMS = {SessionForm.SOCIAL_POST, SessionForm.LIVESTREAM}


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Organiser(models.TextChoices):
    POLICE = "police", _("Police")
    FRONT = "front", _("Fatherland Front")
    YOUTH_UNION = "youth_union", _("Youth Union")
    WOMENS_UNION = "womens_union", _("Women's Union")
    VETERANS = "veterans", _("Veterans' Association")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other organiser")


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    ZALO = "zalo", "Zalo"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other platform")


class PostKind(models.TextChoices):
    POST = "post", _("Post")
    LIVESTREAM = "livestream", _("Livestream")


class CourseResult(models.TextChoices):
    PENDING = "pending", _("Not assessed")
    PASSED = "passed", _("Passed")
    FAILED = "failed", pgettext_lazy("course result", "Failed")
