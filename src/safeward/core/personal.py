"""Personal data behind its own permission: fields sent only to holders, every look audited.

A :class:`PersonalFields` names the fields of a model that identify or reach a person
(a custodian's name and phone, ...), the permission that shows them and the audit
action a look writes. Roles that need only figures never receive them: serializers
built on :class:`PersonalFieldsMixin` drop them from the JSON, and pages and exports
ask :func:`shown_to` which rows may show them (and render nothing for the others).

The declaration is made once, next to the model's other rules (``<app>/personal.py``),
and read by the serializer, the page and the export alike. Every serializer of the API
says, for each field that could carry personal data, either which :class:`PersonalFields`
gates it (``personal``) or why every reader may see it (``public_fields``); a test walks
the API and fails on a field declared neither way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Model
from rest_framework import serializers
from rest_framework.serializers import LIST_SERIALIZER_KWARGS, LIST_SERIALIZER_KWARGS_REMOVE

from safeward.core.audit import audit_record
from safeward.core.scoping import has_perm_at


@dataclass(frozen=True)
class PersonalFields:
    perm: str  # ``app.action_model`` held over the object's unit
    fields: tuple[str, ...]  # serializer field names that carry the personal data
    action: str  # audit action written for each look
    via: str = ""  # attribute leading from a serialized row to the model holding the data

    def subject(self, obj: Any) -> Any:
        return getattr(obj, self.via) if self.via else obj

    def unit_of(self, obj: Any) -> Any:
        return getattr(obj, "audit_unit", None) or getattr(obj, "unit", None)

    def allows(self, user: Any, obj: Any) -> bool:
        return has_perm_at(user, self.perm, self.unit_of(self.subject(obj)))


# Reasons a serializer field is sent to every reader of the record (``public_fields``).
INPUT_ONLY = "input only: an action's argument, never sent back"
NOT_PERSONAL = "names a thing (a group, a unit, a category), not a person"


def gated_fields(serializer_class: type[Any]) -> set[str]:
    """The fields some :class:`PersonalFields` of ``serializer_class`` withholds."""
    return {name for gate in getattr(serializer_class, "personal", ()) for name in gate.fields}


def public_fields(serializer_class: type[Any]) -> Mapping[str, str]:
    """The fields ``serializer_class`` sends to every reader, with the reason why."""
    return getattr(serializer_class, "public_fields", {})


def record_looks(user: Any, gate: PersonalFields, shown: list[Model]) -> None:
    """One sensitive-read audit event per request: the reader, and which objects were shown."""
    if not shown:
        return
    shown = [gate.subject(obj) for obj in shown]
    first = shown[0]
    audit_record(
        user,
        gate.action,
        first if len(shown) == 1 else None,
        unit=gate.unit_of(first) if len(shown) == 1 else None,
        object_type=first._meta.label_lower,
        # A list is named by its first record; ``ids`` holds every record shown.
        object_id=str(first.pk),
        sensitive_read=True,
        changes={"ids": [obj.pk for obj in shown]},
    )


def shown_to(user: Any, gate: PersonalFields, objects: Iterable[Model]) -> set[Any]:
    """Primary keys of ``objects`` whose personal fields ``user`` may see; the look is audited."""
    shown = [obj for obj in objects if gate.allows(user, obj)]
    record_looks(user, gate, shown)
    return {obj.pk for obj in shown}


def withheld_from(user: Any, gates: Iterable[PersonalFields], obj: Model) -> set[str]:
    """The field names of ``obj`` that ``user`` may not see; the look at the others is audited.

    For a page or an export that renders one record field by field: it leaves out (or
    blanks) every name returned here.
    """
    withheld: set[str] = set()
    for gate in gates:
        if gate.allows(user, obj):
            record_looks(user, gate, [obj])
        else:
            withheld.update(gate.fields)
    return withheld


class PersonalListSerializer(serializers.ListSerializer[Any]):
    """Audits a whole page of looks at once."""

    def to_representation(self, data: Any) -> list[Any]:
        child = self.child
        child._pending_looks = []  # type: ignore[union-attr]
        rows = super().to_representation(data)
        child._flush_looks()  # type: ignore[union-attr]
        return rows


class PersonalFieldsMixin(serializers.Serializer[Any]):
    """Drops each :class:`PersonalFields` group the requesting user may not see on that object.

    The fields are absent from the answer, not blanked: a role that needs only figures
    cannot tell a named row from an unnamed one. Every answer that shows them is audited.
    """

    personal: ClassVar[tuple[PersonalFields, ...]] = ()
    # Fields that look personal but go to every reader: name -> why that is right.
    public_fields: ClassVar[Mapping[str, str]] = {}
    _pending_looks: list[tuple[PersonalFields, Model]] | None = None

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> serializers.ListSerializer[Any]:
        # DRF's own many_init, with the list class that audits a page at once.
        list_kwargs = {
            key: kwargs.pop(key) for key in LIST_SERIALIZER_KWARGS_REMOVE if kwargs.get(key)
        }
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({k: v for k, v in kwargs.items() if k in LIST_SERIALIZER_KWARGS})
        return PersonalListSerializer(*args, **list_kwargs)

    def _viewer(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        viewer = self._viewer()
        for gate in self.personal:
            if not gate.allows(viewer, instance):
                for name in gate.fields:
                    data.pop(name, None)
            elif self._pending_looks is not None:
                self._pending_looks.append((gate, instance))
            else:
                record_looks(viewer, gate, [instance])
        return data

    def _flush_looks(self) -> None:
        pending, self._pending_looks = self._pending_looks or [], None
        viewer = self._viewer()
        for gate in self.personal:
            record_looks(viewer, gate, [obj for g, obj in pending if g is gate])
