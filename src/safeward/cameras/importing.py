"""Importing cameras and contributions from CSV or XLSX through the core import framework.

Camera rows are staged (hidden until the whole file is written), so a file may hold
100,000 cameras; contributions are written in one short transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.cameras import services
from safeward.cameras.models import Camera, Campaign
from safeward.cameras.validation import check_camera_fields
from safeward.core.errors import DomainError
from safeward.core.importing import (
    ImportKind,
    cell_date,
    cell_int,
    cell_number,
    cell_text,
    cell_unit,
    register_kind,
)
from safeward.core.services import require_perm

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

INT_MAX = 2**31 - 1
BIG_MAX = 2**63 - 1
CAMERA_TEXT = {
    "custodian_kind": 16,
    "custodian_label": 120,
    "contact": 120,
    "preferred_channel": 16,
    "recording_mode": 16,
    "sharing_mode": 16,
    "status": 16,
}
CAMERA_NUMBERS = {
    "latitude": (-90.0, 90.0),
    "longitude": (-180.0, 180.0),
    "bearing": (-1e9, 1e9),
    "fov": (-1e9, 1e9),
}
CAMERA_INTS = {"range_m": INT_MAX, "retention_days": 32_767, "cost_vnd": BIG_MAX}
TRUE = {"1", "true", "yes", "x", "có"}


def camera_values(row: dict[str, str]) -> dict[str, Any]:
    """The row's camera fields, typed and bounded by their columns (no unit, no writes)."""
    values: dict[str, Any] = {}
    for name, length in CAMERA_TEXT.items():
        if row.get(name):
            values[name] = cell_text(row, name, max_length=length)
    for name, (low, high) in CAMERA_NUMBERS.items():
        number = cell_number(row, name, minimum=low, maximum=high)
        if number is not None:
            values[name] = number
    for name, high in CAMERA_INTS.items():
        if row.get(name):
            values[name] = cell_int(row, name, minimum=0, maximum=high)
    for name in ("installed_on", "last_verified"):
        day = cell_date(row, name, required=False)
        if day is not None:
            values[name] = day
    if row.get("signage_confirmed"):
        values["signage_confirmed"] = row["signage_confirmed"].lower() in TRUE
    for required in ("custodian_kind", "custodian_label", "latitude", "longitude"):
        if required not in values:
            raise DomainError(_("{field} is required.").format(field=required), field=required)
    values.setdefault("bearing", 0.0)
    return values


def check_camera(actor: Viewer, row: dict[str, str]) -> Any:
    unit = cell_unit(row)
    require_perm(actor, "cameras.add_camera", unit)
    check_camera_fields(camera_values(row))
    return unit


def import_camera(actor: Viewer, row: dict[str, str]) -> Camera:
    return services.camera_register(actor, unit=cell_unit(row), **camera_values(row))


def _campaign(actor: Viewer, row: dict[str, str]) -> Campaign:
    pk = cell_int(row, "campaign_id", default=-1, maximum=BIG_MAX)
    campaign = Campaign.objects.restrict(actor, "view").filter(pk=pk).first()
    if campaign is None:
        raise DomainError(_("Unknown campaign."), field="campaign_id")
    return campaign


def contribution_values(row: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "amount_vnd": cell_int(row, "amount_vnd", default=-1, minimum=0, maximum=BIG_MAX),
        "date": cell_date(row, "date"),
        "donor_name": cell_text(row, "donor_name", max_length=160),
        "receipt_no": cell_text(row, "receipt_no", max_length=40),
    }
    if not row.get("amount_vnd"):
        raise DomainError(_("{field} is required.").format(field="amount_vnd"), field="amount_vnd")
    if row.get("listing"):
        values["listing"] = cell_text(row, "listing", max_length=16)
    return values


def check_contribution(actor: Viewer, row: dict[str, str]) -> Any:
    campaign = _campaign(actor, row)
    contribution_values(row)
    return campaign.unit


def import_contribution(actor: Viewer, row: dict[str, str]) -> Any:
    return services.contribution_record(
        actor, campaign=_campaign(actor, row), **contribution_values(row)
    )


CAMERAS = ImportKind(
    "cameras",
    gettext_lazy("Cameras"),
    ["unit_code", "custodian_kind", "custodian_label", "latitude", "longitude"],
    lambda r: (
        r.get("unit_code", ""),
        r.get("custodian_label", "").lower(),
        r.get("latitude", ""),
        r.get("longitude", ""),
        r.get("bearing", ""),
    ),
    import_camera,
    check=check_camera,
)
CONTRIBUTIONS = ImportKind(
    "contributions",
    gettext_lazy("Contributions"),
    ["campaign_id", "amount_vnd", "date"],
    lambda r: (
        r.get("campaign_id", ""),
        r.get("receipt_no", "") or r.get("donor_name", ""),
        r.get("date", ""),
        r.get("amount_vnd", ""),
    ),
    import_contribution,
    check=check_contribution,
)


def register_kinds() -> None:
    register_kind(CAMERAS, "cameras.add_camera")
    register_kind(CONTRIBUTIONS, "cameras.add_contribution")
