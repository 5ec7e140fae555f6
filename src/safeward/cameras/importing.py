"""Importing cameras and contributions from CSV or XLSX, row by row, through the services.

By default nothing is written unless every row is valid; with ``valid_rows_only`` the
valid rows are kept and the rejected ones come back as a CSV file with their errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from safeward.cameras import services
from safeward.cameras.models import Campaign
from safeward.core.csvsafe import csv_dict_writer
from safeward.core.errors import DomainError
from safeward.geo.models import AdminUnit


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


CAMERA_COLUMNS: dict[str, Callable[[Any], Any]] = {
    "unit_code": str,
    "custodian_kind": str,
    "custodian_label": str,
    "contact": str,
    "preferred_channel": str,
    "latitude": float,
    "longitude": float,
    "bearing": float,
    "fov": float,
    "range_m": int,
    "recording_mode": str,
    "retention_days": int,
    "sharing_mode": str,
    "status": str,
    "installed_on": _day,
    "last_verified": _day,
    "cost_vnd": int,
    "signage_confirmed": lambda v: str(v).strip().lower() in {"1", "true", "yes", "x", "có"},
}
CONTRIBUTION_COLUMNS: dict[str, Callable[[Any], Any]] = {
    "campaign_id": int,
    "donor_name": str,
    "amount_vnd": int,
    "date": _day,
    "receipt_no": str,
    "listing": str,
}


class _Rollback(Exception):
    pass


@dataclass
class ImportResult:
    created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    rejected_csv: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as dicts keyed by the header row, from CSV (UTF-8) or XLSX."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        values = [list(r) for r in sheet.iter_rows(values_only=True)] if sheet else []
        header = [str(h or "").strip() for h in (values[0] if values else [])]
        return [
            {h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)}
            for row in values[1:]
            if any(v not in (None, "") for v in row)
        ]
    text = content.decode("utf-8-sig")
    return [
        {k.strip(): (v or "") for k, v in row.items() if k}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _typed(row: dict[str, str], columns: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, convert in columns.items():
        raw = str(row.get(name, "")).strip()
        if raw == "":
            continue
        if convert in (int, float) and raw.endswith(".0"):
            raw = raw[:-2]
        try:
            values[name] = convert(raw)
        except ValueError as exc:
            raise DomainError(
                _("“{value}” is not a valid {field}.").format(value=raw, field=name), field=name
            ) from exc
    return values


def _camera_row(actor: Any, row: dict[str, str]) -> None:
    values = _typed(row, CAMERA_COLUMNS)
    code = values.pop("unit_code", "")
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None:
        raise DomainError(_("Unknown unit code “{code}”.").format(code=code), field="unit_code")
    for required in ("custodian_kind", "custodian_label", "latitude", "longitude"):
        if required not in values:
            raise DomainError(_("{field} is required.").format(field=required), field=required)
    values.setdefault("bearing", 0.0)
    services.camera_register(actor, unit=unit, **values)


def _contribution_row(actor: Any, row: dict[str, str]) -> None:
    values = _typed(row, CONTRIBUTION_COLUMNS)
    campaign = (
        Campaign.objects.restrict(actor, "view").filter(pk=values.pop("campaign_id", 0)).first()
    )
    if campaign is None:
        raise DomainError(_("Unknown campaign."), field="campaign_id")
    for required in ("amount_vnd", "date"):
        if required not in values:
            raise DomainError(_("{field} is required.").format(field=required), field=required)
    services.contribution_record(actor, campaign=campaign, **values)


ROW_IMPORTERS = {"cameras": _camera_row, "contributions": _contribution_row}


def _run_rows(actor: Any, kind: str, rows: list[dict[str, str]], result: ImportResult) -> list[int]:
    rejected: list[int] = []
    for number, row in enumerate(rows, start=2):
        try:
            with transaction.atomic():
                ROW_IMPORTERS[kind](actor, row)
            result.created += 1
        except (DomainError, PermissionDenied) as exc:
            field_name = getattr(exc, "field", None) or ""
            result.errors.append({"row": number, "field": field_name, "message": str(exc)})
            rejected.append(number - 2)
    return rejected


def _rejected_csv(
    rows: list[dict[str, str]], rejected: list[int], errors: list[dict[str, Any]]
) -> str:
    if not rejected:
        return ""
    out = io.StringIO()
    header = [*rows[0].keys(), "error"]
    writer = csv_dict_writer(out, fieldnames=header)
    writer.writeheader()
    for index, error in zip(rejected, errors, strict=True):
        writer.writerow({**rows[index], "error": error["message"]})
    return out.getvalue()


def import_file(
    actor: Any, *, kind: str, content: bytes, filename: str, valid_rows_only: bool = False
) -> ImportResult:
    """Import ``kind`` (cameras or contributions) from the file; see the module docstring."""
    result = ImportResult()
    if kind not in ROW_IMPORTERS:
        result.errors.append({"row": 0, "field": "kind", "message": _("Unknown import kind.")})
        return result
    try:
        rows = read_rows(content, filename)
    except (ValueError, KeyError, OSError) as exc:
        result.errors.append({"row": 0, "field": "file", "message": str(exc)})
        return result
    try:
        with transaction.atomic():
            rejected = _run_rows(actor, kind, rows, result)
            if result.errors and not valid_rows_only:
                raise _Rollback
    except _Rollback:
        result.created = 0
        return result
    result.rejected_csv = _rejected_csv(rows, rejected, result.errors)
    return result
