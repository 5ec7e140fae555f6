"""Administrative units through time: an effective-dated tree with successions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeward.core.querysets import (
    ScopedQuerySet,
    pending_import_field,
    pending_visible,
    permission_name,
)
from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes
from safeward.geo.choices import UnitLevel

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


_DIGITS = re.compile(r"\d+")


def natural_key(name: str) -> str:
    """A unit name as it sorts for a reader: numbers by value (Khu 2 before Khu 10), letters
    without their marks first (Ánh beside Anh, Đông beside Dông), then case.

    Stored in ``AdminUnit.sort_key`` so a database ``ORDER BY`` gives the same order on
    SQLite and PostgreSQL, whatever their collations.
    """
    bare = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    bare = bare.replace("đ", "d").replace("Đ", "D").casefold()
    return _DIGITS.sub(lambda m: m.group().lstrip("0").rjust(10, "0"), bare)[:160]


class AdminUnitQuerySet(ScopedQuerySet["AdminUnit"]):
    def natural(self) -> AdminUnitQuerySet:
        """Ordered by name as a reader expects it (see ``natural_key``)."""
        return self.order_by("sort_key", "name", "pk")

    def valid_on(self, day: dt.date) -> AdminUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> AdminUnitQuerySet:
        from django.utils import timezone

        return self.valid_on(timezone.localdate())

    def subtree_of(self, unit: AdminUnit) -> AdminUnitQuerySet:
        return self.filter(path__subtree=unit.path)

    def of_level(self, level: str) -> AdminUnitQuerySet:
        return self.filter(level=level)


class AdminUnitManager(models.Manager.from_queryset(AdminUnitQuerySet)):  # type: ignore[misc]
    """Hides the units of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> AdminUnitQuerySet:
        return super().get_queryset().filter(pending_visible())  # type: ignore[no-any-return]

    def bulk_create(self, objs: Iterable[AdminUnit], *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        for unit in objs:
            unit.sort_key = natural_key(unit.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[AdminUnit], fields: Any, *args: Any, **kwargs: Any) -> Any:
        objs, fields = list(objs), list(fields)
        if "name" in fields:
            for unit in objs:
                unit.sort_key = natural_key(unit.name)
            fields.append("sort_key")
        return super().bulk_update(objs, fields, *args, **kwargs)


class AdminUnit(models.Model):
    """A province, district, ward/commune or neighbourhood, valid over a period of time.

    ``path`` (``/1/23/456/``) holds the primary keys from the root down, so a
    subtree is one indexed range. Units are public information: every signed-in
    user may read them; changes need ``geo.change_adminunit`` over the parent.
    """

    scope_path_field = "path"

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    sort_key = models.CharField(max_length=160, blank=True, editable=False)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    bbox_south = models.FloatField(null=True, blank=True)
    bbox_west = models.FloatField(null=True, blank=True)
    bbox_north = models.FloatField(null=True, blank=True)
    bbox_east = models.FloatField(null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = AdminUnitManager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        indexes = [
            models.Index(fields=["level", "valid_to"], name="unit_level_valid_idx"),
            models.Index(fields=["parent", "name"], name="unit_parent_name_idx"),
            models.Index(fields=["parent", "sort_key"], name="unit_parent_sort_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = natural_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "sort_key" not in fields:
            kwargs["update_fields"] = [*fields, "sort_key"]
        super().save(*args, **kwargs)

    @property
    def audit_unit(self) -> AdminUnit:
        return self

    @property
    def has_centroid(self) -> bool:
        return self.centroid_lat is not None and self.centroid_lon is not None

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def ancestors(self) -> list[AdminUnit]:
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        by_id = {u.pk: u for u in AdminUnit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.bbox_south is None or self.bbox_west is None:
            return None
        return (self.bbox_south, self.bbox_west, self.bbox_north or 0.0, self.bbox_east or 0.0)

    def as_feature(self) -> dict[str, Any]:
        return {"id": self.pk, "code": self.code, "name": self.name, "level": self.level}


class UnitSuccessionQuerySet(ScopedQuerySet["UnitSuccession"]):
    """A succession is in scope when either of its two units is."""

    def restrict(
        self, user: Viewer, action: str = "view", *, of: type[models.Model] | None = None
    ) -> UnitSuccessionQuerySet:
        prefixes = scope_prefixes(user, permission_name(of or self.model, action))
        if prefixes is UNRESTRICTED:
            return self if of else self.narrow(user, action)
        if not prefixes:
            return self.none()
        either = path_q("predecessor__path", prefixes) | path_q("successor__path", prefixes)
        return self.filter(either).narrow(user, action)


class UnitSuccessionManager(models.Manager.from_queryset(UnitSuccessionQuerySet)):  # type: ignore[misc]
    """Hides the successions of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> UnitSuccessionQuerySet:
        return super().get_queryset().filter(pending_visible())  # type: ignore[no-any-return]


class UnitSuccession(models.Model):
    """``share`` of ``predecessor`` passed to ``successor`` on ``date`` (merge or split)."""

    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="successions_in"
    )
    date = models.DateField(_("date"))
    share = models.FloatField(_("share"), default=1.0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = UnitSuccessionManager()

    class Meta:
        ordering = ["date", "predecessor_id", "successor_id"]
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="succession_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} -> {self.successor} ({self.share:.3f})"
