"""Personal data behind its own permission: fields sent only to holders, every look audited.

A :class:`PersonalFields` names the fields of a model that identify or reach a person
(a custodian's name and phone, ...), the permission that shows them and the audit
action a look writes. Roles that need only figures never receive them: serializers
built on :class:`PersonalFieldsMixin` drop them from the JSON, and pages ask
:func:`shown_to` which rows may show them (and render nothing for the others).
"""

from __future__ import annotations

from collections.abc import Iterable
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
        sensitive_read=True,
        changes={"ids": [obj.pk for obj in shown]},
    )


def shown_to(user: Any, gate: PersonalFields, objects: Iterable[Model]) -> set[Any]:
    """Primary keys of ``objects`` whose personal fields ``user`` may see; the look is audited."""
    shown = [obj for obj in objects if gate.allows(user, obj)]
    record_looks(user, gate, shown)
    return {obj.pk for obj in shown}


class PersonalListSerializer(serializers.ListSerializer):
    """Audits a whole page of looks at once."""

    def to_representation(self, data: Any) -> list[Any]:
        child = self.child
        child._pending_looks = []  # type: ignore[union-attr]
        rows = super().to_representation(data)
        child._flush_looks()  # type: ignore[union-attr]
        return rows  # type: ignore[no-any-return]


class PersonalFieldsMixin(serializers.Serializer):
    """Drops each :class:`PersonalFields` group the requesting user may not see on that object.

    The fields are absent from the answer, not blanked: a role that needs only figures
    cannot tell a named row from an unnamed one. Every answer that shows them is audited.
    """

    personal: ClassVar[tuple[PersonalFields, ...]] = ()
    _pending_looks: list[tuple[PersonalFields, Model]] | None = None

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> serializers.ListSerializer:
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
