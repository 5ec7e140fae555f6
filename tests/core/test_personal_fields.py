"""Every API field that could carry personal data is gated, or declared public with a reason."""

from __future__ import annotations

import re

import pytest
from rest_framework import serializers

from safeward.accounts.roles import ANALYST, GROUP_LEADER, MENTOR, RESIDENT, permissions_of
from safeward.core.personal import PersonalFields, gated_fields, public_fields
from tests.core.test_scoped_relations import api_serializers as writable_api_serializers
from tests.core.test_scoped_relations import api_views

# A person's name, contact, identity or a free text a person may be named in.
PERSONAL_NAME = re.compile(
    r"(^|_)(name|full_name|label|phone|email|address|id_number|birth|note|notes|contact"
    r"|organiser|organisers|custodian|donor|reporter|trainers|reason|description|body"
    r"|comment|text|username|signed)($|_)",
    re.IGNORECASE,
)
PERSONAL_TYPES = (serializers.EmailField,)


def api_serializers() -> set[type[serializers.BaseSerializer]]:
    """Every serializer the API answers with: read-only views and those their modules define."""
    import importlib
    import inspect

    from django.conf import settings

    found = {v.serializer_class for v in api_views() if getattr(v, "serializer_class", None)}
    for app in ["safeward.geo", "safeward.accounts", *settings.SAFEWARD_DOMAIN_APPS]:
        try:
            module = importlib.import_module(f"{app}.api.views")
        except ModuleNotFoundError:
            continue
        found |= {
            obj
            for _name, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, serializers.BaseSerializer) and obj.__module__ == module.__name__
        }
    return writable_api_serializers() | found


def looks_personal(name: str, field: serializers.Field) -> bool:
    return bool(PERSONAL_NAME.search(name)) or isinstance(field, PERSONAL_TYPES)


def undeclared() -> list[str]:
    found = []
    for serializer_class in api_serializers():
        gated, public = gated_fields(serializer_class), public_fields(serializer_class)
        for name, field in serializer_class().get_fields().items():
            if field.write_only or not looks_personal(name, field):
                continue
            if name not in gated and not public.get(name, "").strip():
                found.append(f"{serializer_class.__name__}.{name}")
    return sorted(found)


def stale() -> list[str]:
    """Declarations naming a field the serializer does not have (a rename left behind)."""
    found = []
    for serializer_class in api_serializers():
        names = set(serializer_class().get_fields())
        for name in (gated_fields(serializer_class) | set(public_fields(serializer_class))) - names:
            found.append(f"{serializer_class.__name__}.{name}")
    return sorted(found)


def test_the_walk_sees_the_serializers_with_personal_data() -> None:
    names = {cls.__name__ for cls in api_serializers()}
    assert {"PersonSerializer", "HouseholdSerializer", "CameraSerializer"} <= names
    assert {"ReportSerializer", "CampaignSerializer", "MembershipSerializer"} <= names
    assert "AuditEventSerializer" in names


def test_every_personal_looking_field_is_gated_or_declared_public() -> None:
    assert undeclared() == []


def test_no_declaration_names_a_field_that_is_gone() -> None:
    assert stale() == []


def test_a_field_gated_is_not_also_declared_public() -> None:
    both = [
        f"{cls.__name__}.{name}"
        for cls in api_serializers()
        for name in gated_fields(cls) & set(public_fields(cls))
    ]
    assert both == []


def gates() -> set[PersonalFields]:
    return {gate for cls in api_serializers() for gate in getattr(cls, "personal", ())}


@pytest.mark.django_db
def test_every_gate_names_a_permission_that_exists() -> None:
    from django.contrib.auth.models import Permission

    known = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert {gate.perm for gate in gates()} - known == set()


def test_roles_that_need_only_figures_or_their_own_work_hold_no_gate() -> None:
    for role in (GROUP_LEADER, ANALYST, MENTOR, RESIDENT):
        assert {gate.perm for gate in gates()} & set(permissions_of(role)) == set(), role
