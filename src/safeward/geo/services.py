"""Writes to the unit tree: neighbourhoods, moves, boundaries and successions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record, diff
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import model_fields, require_perm
from safeward.geo.choices import LEVEL_DEPTH, UnitLevel
from safeward.geo.geometry import boundary_centroid_bbox, validate_boundary
from safeward.geo.land import require_on_land
from safeward.geo.models import AdminUnit, UnitSuccession

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

SHARE_TOLERANCE = 1e-6
EDITABLE = [
    "name",
    "short_name",
    "kind",
    "centroid_lat",
    "centroid_lon",
    "boundary",
    "population",
    "valid_from",
    "valid_to",
    "area_km2",
]


def set_path(unit: AdminUnit) -> None:
    unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    AdminUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


def _check_code(code: str, exclude_pk: int | None = None) -> None:
    if not code or len(code) > 40:
        raise DomainError(_("A unit code is required (at most 40 characters)."), field="code")
    clashes = AdminUnit.objects.filter(code=code)
    clash = (clashes.exclude(pk=exclude_pk) if exclude_pk else clashes).first()
    if clash:
        raise Conflict(
            _("The unit code {code} is already used by {name}.").format(code=code, name=clash.name),
            field="code",
            code="duplicate",
        )


def _apply_boundary(unit: AdminUnit, boundary: Any) -> None:
    if boundary in (None, "", {}):
        unit.boundary = None
        return
    problem = validate_boundary(boundary)
    if problem:
        raise DomainError(
            _("The boundary of {name} is not valid GeoJSON: {problem}.").format(
                name=unit.name or unit.code, problem=problem
            ),
            field="boundary",
        )
    unit.boundary = boundary
    lat, lon, (south, west, north, east) = boundary_centroid_bbox(boundary)
    unit.centroid_lat, unit.centroid_lon = lat, lon
    unit.bbox_south, unit.bbox_west, unit.bbox_north, unit.bbox_east = south, west, north, east


def _check_point(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="centroid_lat")
    if lat is not None and lon is not None:
        require_on_land(lat, lon, field="centroid_lat")


@transaction.atomic
def unit_create(
    actor: Viewer,
    *,
    parent: AdminUnit,
    code: str,
    name: str,
    level: str = UnitLevel.NEIGHBOURHOOD,
    kind: str = "",
    valid_from: dt.date | None = None,
    centroid_lat: float | None = None,
    centroid_lon: float | None = None,
    boundary: Any = None,
    population: int | None = None,
) -> AdminUnit:
    """Add a unit (normally a neighbourhood) below ``parent``; audited."""
    require_perm(actor, "geo.add_adminunit", parent)
    code, name = (code or "").strip(), (name or "").strip()
    _check_code(code)
    if not name:
        raise DomainError(_("A unit name is required."), field="name")
    if LEVEL_DEPTH.get(UnitLevel(level), 0) <= LEVEL_DEPTH[UnitLevel(parent.level)]:
        raise DomainError(
            _("A {level} cannot be placed below the {parent_level} {parent}.").format(
                level=UnitLevel(level).label,
                parent_level=UnitLevel(parent.level).label,
                parent=parent,
            ),
            field="parent",
        )
    if parent.valid_to is not None and (valid_from is None or valid_from > parent.valid_to):
        raise DomainError(
            _("{parent} ceased to exist on {date}; place the unit below its successor.").format(
                parent=parent, date=parent.valid_to
            ),
            field="parent",
        )
    _check_point(centroid_lat, centroid_lon)
    if population is not None and population < 0:
        raise DomainError(_("Population cannot be negative."), field="population")
    unit = AdminUnit(
        code=code,
        name=name,
        short_name=name,
        level=level,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=parent.valid_to,
        centroid_lat=centroid_lat,
        centroid_lon=centroid_lon,
        population=population,
        source="manual",
    )
    _apply_boundary(unit, boundary)
    unit.save()
    set_path(unit)
    audit_record(
        actor, "unit.create", unit, changes=model_fields(unit, ["code", "name", "level", "parent"])
    )
    return unit


@transaction.atomic
def unit_update(actor: Viewer, unit: AdminUnit, **fields: Any) -> AdminUnit:
    """Change a unit's descriptive fields (not its place in the tree); audited."""
    require_perm(actor, "geo.change_adminunit", unit)
    unknown = set(fields) - set(EDITABLE) - {"code"}
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: {fields}.").format(fields=", ".join(sorted(unknown)))
        )
    before = model_fields(unit, [*EDITABLE, "code"])
    if "code" in fields and fields["code"] != unit.code:
        _check_code(fields["code"], exclude_pk=unit.pk)
    boundary = fields.pop("boundary", unit.boundary)
    for name, value in fields.items():
        setattr(unit, name, value)
    _check_point(unit.centroid_lat, unit.centroid_lon)
    _apply_boundary(unit, boundary)
    if unit.valid_from and unit.valid_to and unit.valid_from > unit.valid_to:
        raise DomainError(_("A unit cannot end before it starts."), field="valid_to")
    unit.save()
    audit_record(
        actor, "unit.update", unit, changes=diff(before, model_fields(unit, [*EDITABLE, "code"]))
    )
    return unit


@transaction.atomic
def unit_move(actor: Viewer, unit: AdminUnit, *, new_parent: AdminUnit) -> AdminUnit:
    """Move ``unit`` (and its subtree) below ``new_parent``; refuses cycles."""
    require_perm(actor, "geo.change_adminunit", unit)
    require_perm(actor, "geo.change_adminunit", new_parent)
    if new_parent.path.startswith(unit.path):
        raise Conflict(
            _(
                "Moving {unit} below {parent} would make a cycle: {parent} lies inside {unit}."
            ).format(unit=unit, parent=new_parent),
            field="parent",
            code="cycle",
        )
    if LEVEL_DEPTH[UnitLevel(unit.level)] <= LEVEL_DEPTH[UnitLevel(new_parent.level)]:
        raise DomainError(_("A unit must sit below a unit of a higher level."), field="parent")
    old_path, old_parent = unit.path, unit.parent_id
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    new_path = f"{new_parent.path}{unit.pk}/"
    AdminUnit.objects.filter(path__subtree=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    for u in AdminUnit.objects.filter(path__subtree=new_path):
        AdminUnit.objects.filter(pk=u.pk).update(depth=u.path.count("/") - 2)
    unit.refresh_from_db()
    audit_record(actor, "unit.move", unit, changes={"parent": [old_parent, new_parent.pk]})
    return unit


@transaction.atomic
def succession_create(
    actor: Viewer,
    *,
    predecessor: AdminUnit,
    successor: AdminUnit,
    date: dt.date,
    share: float = 1.0,
    note: str = "",
) -> UnitSuccession:
    """Record that ``share`` of ``predecessor`` passed to ``successor``; shares never exceed 1."""
    require_perm(actor, "geo.add_unitsuccession", successor)
    return _succession_write(actor, predecessor, successor, date, share, note)


def _succession_write(
    actor: Viewer,
    predecessor: AdminUnit,
    successor: AdminUnit,
    date: dt.date,
    share: float,
    note: str,
) -> UnitSuccession:
    if predecessor.pk == successor.pk:
        raise DomainError(_("A unit cannot succeed itself."), field="successor")
    if not 0 < share <= 1:
        raise DomainError(_("A share must be more than 0 and at most 1."), field="share")
    taken = (
        UnitSuccession.objects.filter(predecessor=predecessor)
        .exclude(successor=successor)
        .aggregate(total=Sum("share"))["total"]
        or 0.0
    )
    if taken + share > 1 + SHARE_TOLERANCE:
        raise DomainError(
            _("The shares of {unit} would add up to {total:.3f}, more than 1.").format(
                unit=predecessor, total=taken + share
            ),
            field="share",
        )
    succession: UnitSuccession
    succession, _created = UnitSuccession.objects.update_or_create(
        predecessor=predecessor,
        successor=successor,
        defaults={"date": date, "share": share, "note": note},
    )
    audit_record(
        actor,
        "unit.succession",
        successor,
        changes={"predecessor": predecessor.pk, "share": share, "date": str(date)},
    )
    return succession


@transaction.atomic
def unit_delete(actor: Viewer, unit: AdminUnit) -> None:
    """Delete a unit nothing refers to (no children, successions or records); audited."""
    require_perm(actor, "geo.delete_adminunit", unit)
    if unit.children.exists():
        raise Conflict(_("{unit} still has units below it.").format(unit=unit), code="in_use")
    if UnitSuccession.objects.filter(models_q_either(unit)).exists():
        raise Conflict(
            _("{unit} is part of a recorded merge or split.").format(unit=unit), code="in_use"
        )
    from django.db.models import ProtectedError

    audit_record(actor, "unit.delete", unit, changes={"code": unit.code, "name": unit.name})
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as exc:
        raise Conflict(
            _("{unit} is still referred to by other records.").format(unit=unit), code="in_use"
        ) from exc


def models_q_either(unit: AdminUnit) -> Any:
    from django.db.models import Q

    return Q(predecessor=unit) | Q(successor=unit)
