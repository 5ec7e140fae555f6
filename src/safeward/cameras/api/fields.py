"""A related field that only accepts records the requesting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key the user can see; others read as "does not exist" (denied looks missing)."""

    def __init__(self, model: Any = None, **kwargs: Any) -> None:
        self.scoped_model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return self.scoped_model.objects.restrict(getattr(request, "user", None), "view")
