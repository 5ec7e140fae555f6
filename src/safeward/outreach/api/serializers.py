from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from safeward.core.api import ModelSerializer, ScopedRelatedField
from safeward.core.personal import PersonalFieldsMixin
from safeward.geo.models import AdminUnit
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost
from safeward.outreach.personal import SESSION_NOTE
from safeward.people.models import Household, Person
from safeward.people.personal import NAME_OF_PERSON


class SessionSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (SESSION_NOTE,)
    public_fields = {"organisers": "codes of organising bodies (police, front), not persons"}
    unit = ScopedRelatedField(AdminUnit)
    organisers = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="organiser codes, e.g. police, front",
    )
    attendance = serializers.IntegerField(required=False)
    status = serializers.CharField(required=False)
    attendees = ScopedRelatedField(Person, many=True, required=False)
    households = ScopedRelatedField(Household, many=True, required=False)

    class Meta:
        model = Session
        fields = [
            "id",
            "unit",
            "date",
            "start_time",
            "place",
            "topic",
            "form",
            "organisers",
            "audience",
            "status",
            "attendance",
            "attendees",
            "households",
            "note",
        ]


class SocialPostSerializer(ModelSerializer):
    unit = ScopedRelatedField(AdminUnit)
    session = ScopedRelatedField(Session, required=False, allow_null=True)
    reach = serializers.IntegerField(required=False)

    class Meta:
        model = SocialPost
        fields = ["id", "unit", "platform", "kind", "url", "date", "topic", "reach", "session"]


class CourseSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {
        "organiser": "the organising body (a choice: police, front, ...), not a person",
        "trainers": "the officials who teach, named in the course's announcement",
    }
    unit = ScopedRelatedField(AdminUnit)
    participant_count = serializers.IntegerField(source="participants.count", read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "unit",
            "title",
            "topics",
            "start_date",
            "end_date",
            "place",
            "trainers",
            "organiser",
            "requires_group_role",
            "participant_count",
        ]


class ParticipantSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (NAME_OF_PERSON,)
    course = ScopedRelatedField(Course)
    person = ScopedRelatedField(Person)
    group = ScopedRelatedField("community.Group", required=False, allow_null=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "course",
            "person",
            "person_name",
            "group",
            "days_attended",
            "result",
            "completed",
            "certificate_number",
        ]
        read_only_fields = ["completed", "certificate_number"]


class SessionMaterialSerializer(ModelSerializer):
    session = ScopedRelatedField(Session)
    file = serializers.FileField(write_only=True)
    url = serializers.SerializerMethodField()
    size = serializers.SerializerMethodField()

    class Meta:
        model = SessionMaterial
        fields = ["id", "session", "title", "file", "url", "content_type", "size", "uploaded_at"]
        read_only_fields = ["content_type", "uploaded_at"]

    def get_url(self, obj: SessionMaterial) -> str:
        """The permission-checked download (stored files are never served directly)."""
        return reverse("outreach:material_file", args=[obj.pk]) if obj.file else ""

    def get_size(self, obj: SessionMaterial) -> int | None:
        try:
            return obj.file.size if obj.file else None
        except OSError:
            return None
