"""Neighbourhoods from CSV or XLSX: ``parent_code,code,name,kind,lat,lon,population,boundary``.

All or nothing, through the core import framework (a few hundred rows per ward at most, so
they are written in one short transaction after every row was checked).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.core.errors import DomainError
from safeward.core.importing import (
    INT_MAX,
    ImportKind,
    ImportResult,
    cell_int,
    cell_number,
    cell_text,
    cell_unit,
    register_kind,
    run_import,
)
from safeward.core.services import require_perm
from safeward.geo.models import AdminUnit
from safeward.geo.services import unit_create

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def _boundary(row: dict[str, str]) -> Any:
    if not row.get("boundary"):
        return None
    try:
        return json.loads(row["boundary"])
    except json.JSONDecodeError as exc:
        raise DomainError(
            _("The boundary is not valid JSON (position {position}).").format(position=exc.pos),
            field="boundary",
        ) from exc


def _row_kwargs(row: dict[str, str]) -> dict[str, Any]:
    return {
        "parent": cell_unit(row, "parent_code"),
        "code": cell_text(row, "code", max_length=40, required=True),
        "name": cell_text(row, "name", max_length=120, required=True),
        "kind": cell_text(row, "kind", max_length=40) or "Khu phố",
        "centroid_lat": cell_number(row, "lat", minimum=-90, maximum=90),
        "centroid_lon": cell_number(row, "lon", minimum=-180, maximum=180),
        "population": cell_int(row, "population", minimum=0, maximum=INT_MAX)
        if row.get("population")
        else None,
        "boundary": _boundary(row),
        "valid_from": timezone.localdate(),
    }


def _parent_allowed(actor: Viewer, parent: AdminUnit) -> None:
    try:
        require_perm(actor, "geo.add_adminunit", parent)
    except PermissionDenied as exc:
        raise DomainError(
            _("You may not add units below “{code}”.").format(code=parent.code),
            field="parent_code",
        ) from exc


def check_neighbourhood(actor: Viewer, row: dict[str, str]) -> Any:
    values = _row_kwargs(row)
    _parent_allowed(actor, values["parent"])
    return values["parent"]


def import_neighbourhood(actor: Viewer, row: dict[str, str]) -> AdminUnit:
    values = _row_kwargs(row)
    _parent_allowed(actor, values["parent"])
    return unit_create(actor, **values)


NEIGHBOURHOODS = ImportKind(
    "neighbourhoods",
    gettext_lazy("Neighbourhoods"),
    ["parent_code", "code", "name"],
    lambda r: (r.get("code", ""),),
    import_neighbourhood,
    check=check_neighbourhood,
)


def register_kinds() -> None:
    register_kind(NEIGHBOURHOODS, "geo.add_adminunit")


def import_neighbourhoods_csv(
    actor: Viewer, data: bytes, *, name: str = "neighbourhoods.csv", encoding: str = "auto"
) -> ImportResult:
    """Create every row's neighbourhood, or none when any row is invalid (errors name the row)."""
    return run_import(actor, NEIGHBOURHOODS, name, data, encoding=encoding)
