from __future__ import annotations

from rest_framework import serializers

from safeward.core.api import ModelSerializer, ScopedRelatedField
from safeward.core.personal import PersonalFieldsMixin
from safeward.geo.models import AdminUnit
from safeward.people import services
from safeward.people.models import Household, Person
from safeward.people.personal import HOUSEHOLD_DETAILS, HOUSEHOLD_NAME, PERSON_DETAILS, PERSON_NAME


class HouseholdSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (HOUSEHOLD_NAME, HOUSEHOLD_DETAILS)
    unit = ScopedRelatedField(AdminUnit)
    registered_persons = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "unit", "label", "address", "phone", "members", "registered_persons"]
        extra_kwargs = {
            "members": {"min_value": services.MIN_MEMBERS, "max_value": services.MAX_MEMBERS}
        }

    def get_registered_persons(self, household: Household) -> int:
        return len(household.persons.all())


class PersonSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (PERSON_NAME, PERSON_DETAILS)
    unit = ScopedRelatedField(AdminUnit)
    household = ScopedRelatedField(Household, required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )

    class Meta:
        model = Person
        fields = ["id", "unit", "household", "full_name", "birth_year", "phone", "email"]
