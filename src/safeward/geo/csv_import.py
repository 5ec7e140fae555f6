"""Neighbourhoods from CSV: ``parent_code,code,name,kind,lat,lon,population,boundary``. All or nothing."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.core.errors import DomainError
from safeward.geo.models import AdminUnit
from safeward.geo.services import unit_create

REQUIRED = ["parent_code", "code", "name"]


@dataclass
class CsvResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


class _Rollback(Exception):
    pass


def _float(value: str, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError as exc:
        raise DomainError(
            _("{name} “{value}” is not a number.").format(name=name, value=value)
        ) from exc


def _row_kwargs(row: dict[str, str]) -> dict[str, Any]:
    parent = AdminUnit.objects.filter(code=row["parent_code"].strip()).first()
    if parent is None:
        raise DomainError(_("Unknown parent unit code “{code}”.").format(code=row["parent_code"]))
    boundary = None
    if row.get("boundary", "").strip():
        try:
            boundary = json.loads(row["boundary"])
        except json.JSONDecodeError as exc:
            raise DomainError(
                _("The boundary is not valid JSON: {error}.").format(error=exc.msg)
            ) from exc
    population = row.get("population", "").strip()
    if population and not population.isdigit():
        raise DomainError(_("Population “{value}” is not a whole number.").format(value=population))
    return {
        "parent": parent,
        "code": row["code"].strip(),
        "name": row["name"].strip(),
        "kind": row.get("kind", "").strip() or "Khu phố",
        "centroid_lat": _float(row.get("lat", ""), "lat"),
        "centroid_lon": _float(row.get("lon", ""), "lon"),
        "population": int(population) if population else None,
        "boundary": boundary,
        "valid_from": timezone.localdate(),
    }


def import_neighbourhoods_csv(actor: Any, data: bytes) -> CsvResult:
    """Create every row's neighbourhood, or none when any row is invalid (errors name the row)."""
    result = CsvResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((0, _("The file is not UTF-8 text.")))
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append((1, _("Missing columns: {cols}.").format(cols=", ".join(missing))))
        return result
    try:
        with transaction.atomic():
            for number, row in enumerate(reader, start=2):
                try:
                    with transaction.atomic():
                        unit_create(actor, **_row_kwargs(row))
                        result.created += 1
                except DomainError as exc:
                    result.errors.append((number, exc.message))
                except PermissionDenied:
                    result.errors.append(
                        (
                            number,
                            _("You may not add units below “{code}”.").format(
                                code=row.get("parent_code", "")
                            ),
                        )
                    )
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    return result
