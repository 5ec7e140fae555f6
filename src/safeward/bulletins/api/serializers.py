"""The bulletin API's shapes: a bulletin with its texts and audiences, cohorts and their
members, subscriptions and webhook endpoints."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from safeward.bulletins.choices import AudienceKind, Category, Channel
from safeward.bulletins.models import (
    Bulletin,
    BulletinAudience,
    BulletinText,
    Cohort,
    CohortMember,
    Subscription,
    WebhookEndpoint,
)
from safeward.core.api import ModelSerializer, ScopedRelatedField, Serializer
from safeward.core.personal import INPUT_ONLY, NOT_PERSONAL, PersonalFieldsMixin
from safeward.geo.models import AdminUnit
from safeward.people.models import ContactPoint, Person
from safeward.people.personal import CONTACT_ADDRESS, NAME_OF_PERSON

WRITTEN_FOR_RECIPIENTS = (
    "written by the police for everyone the bulletin reaches, and read by the same: it names"
    " no recipient (a bulletin to a restricted cohort is checked for that at approval)"
)


class BulletinTextSerializer(ModelSerializer):
    public_fields = {"headline": WRITTEN_FOR_RECIPIENTS, "description": WRITTEN_FOR_RECIPIENTS}
    language = serializers.ChoiceField(choices=[("vi", "vi"), ("en", "en"), ("ar", "ar")])
    headline = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=4000)
    instruction = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    class Meta:
        model = BulletinText
        fields = ["language", "headline", "description", "instruction"]


class BulletinAudienceSerializer(ModelSerializer):
    """One audience: a unit's residents, a self-managed group, or a restricted cohort."""

    kind = serializers.ChoiceField(choices=AudienceKind.choices)
    unit = ScopedRelatedField(AdminUnit, required=False, allow_null=True)
    group = ScopedRelatedField("community.Group", required=False, allow_null=True)
    cohort = ScopedRelatedField(Cohort, required=False, allow_null=True)

    class Meta:
        model = BulletinAudience
        fields = ["kind", "unit", "group", "cohort"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = {AudienceKind.UNIT: "unit", AudienceKind.GROUP: "group"}.get(
            attrs["kind"], "cohort"
        )
        if attrs.get(target) is None:
            raise serializers.ValidationError({target: [_("Choose who receives the bulletin.")]})
        others = [n for n in ("unit", "group", "cohort") if n != target and attrs.get(n)]
        if others:
            raise serializers.ValidationError(
                {others[0]: [_("An audience names one unit, group or cohort.")]}
            )
        return attrs

    def to_representation(self, instance: BulletinAudience) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if instance.kind == AudienceKind.COHORT and not _keeps(request, instance):
            data["cohort"] = None  # which cohort is for its keepers and the approvers
        return data


def _keeps(request: Any, audience: BulletinAudience) -> bool:
    from safeward.bulletins.models import APPROVE, VIEW_RESTRICTED
    from safeward.core.scoping import has_perm_at

    user = getattr(request, "user", None)
    unit = audience.bulletin.unit
    return has_perm_at(user, VIEW_RESTRICTED, unit) or has_perm_at(user, APPROVE, unit)


class BulletinSerializer(ModelSerializer):
    public_fields = {"event": NOT_PERSONAL}
    unit = ScopedRelatedField(AdminUnit)
    references = ScopedRelatedField(Bulletin, required=False, allow_null=True)
    area_units = ScopedRelatedField(AdminUnit, many=True, required=False)
    area_polygon = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        required=False,
        max_length=500,
        help_text="corners as [latitude, longitude]; closed if the last is not the first",
    )
    area_circles = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=3, max_length=3),
        required=False,
        max_length=20,
        help_text="circles as [latitude, longitude, radius in km]",
    )
    texts: serializers.ListSerializer[BulletinText] = serializers.ListSerializer(
        child=BulletinTextSerializer(), min_length=1, max_length=3
    )
    audiences: serializers.ListSerializer[BulletinAudience] = serializers.ListSerializer(
        child=BulletinAudienceSerializer(), min_length=1, max_length=50
    )

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "identifier",
            "unit",
            "msg_type",
            "references",
            "status",
            "category",
            "event",
            "urgency",
            "severity",
            "certainty",
            "expires_at",
            "area_units",
            "area_polygon",
            "area_circles",
            "texts",
            "audiences",
            "created_at",
            "submitted_at",
            "approved_at",
            "sent_at",
        ]
        read_only_fields = [
            "identifier",
            "status",
            "created_at",
            "submitted_at",
            "approved_at",
            "sent_at",
        ]


class CountsSerializer(Serializer):
    by_channel = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField(allow_null=True)),
        help_text="deliveries by channel then state; null where a count of 1 to 4 is withheld",
    )


class CohortSerializer(ModelSerializer):
    public_fields = {
        "name": "names a cohort (for its keepers only: the list is restricted), not a person"
    }
    unit = ScopedRelatedField(AdminUnit)

    class Meta:
        model = Cohort
        fields = ["id", "unit", "kind", "name", "neutral_wording", "created_at"]
        read_only_fields = ["created_at"]


class CohortMemberSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (NAME_OF_PERSON,)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = CohortMember
        fields = ["id", "person", "person_name", "added_on", "removed_on"]
        read_only_fields = fields


class PersonRefSerializer(Serializer):
    public_fields = {"person": INPUT_ONLY}
    person = ScopedRelatedField(Person)


class SubscriptionSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (NAME_OF_PERSON,)
    person = ScopedRelatedField(Person)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False, max_length=20
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[c for c in Channel.choices if c[0] != Channel.WEBHOOK]
        ),
        required=False,
        max_length=4,
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "person",
            "person_name",
            "topics",
            "channels",
            "quiet_from",
            "quiet_until",
            "unsubscribed_at",
            "created_at",
        ]
        read_only_fields = ["unsubscribed_at", "created_at"]


class WebhookEndpointSerializer(ModelSerializer):
    public_fields = {"name": NOT_PERSONAL}
    unit = ScopedRelatedField(AdminUnit)
    url = serializers.URLField(max_length=200)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "unit", "name", "url", "active", "created_at"]
        read_only_fields = ["created_at"]


class SecretSerializer(Serializer):
    secret = serializers.CharField(read_only=True, help_text="shown once: keep it")


class ContactPointSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (NAME_OF_PERSON, CONTACT_ADDRESS)
    person = ScopedRelatedField(Person)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    value = serializers.CharField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="the phone, e-mail or Zalo number; none for the app inbox",
    )
    language = serializers.ChoiceField(
        choices=[("vi", "vi"), ("en", "en"), ("ar", "ar")], required=False
    )

    class Meta:
        model = ContactPoint
        fields = [
            "id",
            "person",
            "person_name",
            "kind",
            "value",
            "language",
            "consent_on",
            "consent_method",
            "withdrawn_at",
            "created_at",
        ]
        read_only_fields = ["withdrawn_at", "created_at"]
