"""Field checks shared by the camera services and the importers; each names the field at fault."""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.cameras.grid import MAX_RANGE_M
from safeward.core.errors import DomainError
from safeward.geo.land import require_on_land


def check_point(lat: Any, lon: Any) -> None:
    if lat is None or lon is None:
        raise DomainError(_("A camera needs a latitude and a longitude."), field="latitude")
    require_on_land(lat, lon, field="latitude")


def check_bearing(bearing: float) -> None:
    if not 0 <= bearing <= 360:
        raise DomainError(
            _("Bearing must be between 0 and 360 degrees, not {value}.").format(value=bearing),
            field="bearing",
        )


def check_fov(fov: float) -> None:
    if not 0 < fov <= 360:
        raise DomainError(
            _("Field of view must be above 0 and at most 360 degrees, not {value}.").format(
                value=fov
            ),
            field="fov",
        )


def check_range(range_m: int) -> None:
    if not 0 < range_m <= MAX_RANGE_M:
        raise DomainError(
            _("Range must be between 1 and {cap} m, not {value}.").format(
                cap=MAX_RANGE_M, value=range_m
            ),
            field="range_m",
        )


# The names users know the fields by (the models' own labels, already translated).
FIELD_LABELS = {
    "retention_days": gettext_lazy("retention (days)"),
    "cost_vnd": gettext_lazy("cost (VND)"),
    "goal_vnd": gettext_lazy("goal (VND)"),
    "amount_vnd": gettext_lazy("amount (VND)"),
    "custodian_kind": gettext_lazy("custodian kind"),
    "preferred_channel": gettext_lazy("preferred channel"),
    "recording_mode": gettext_lazy("recording mode"),
    "sharing_mode": gettext_lazy("sharing mode"),
    "status": gettext_lazy("status"),
    "organiser_kind": gettext_lazy("organiser"),
    "listing": gettext_lazy("listing"),
    "kind": gettext_lazy("kind"),
    "consent_captured_how": gettext_lazy("way consent was captured"),
    "captured_how": gettext_lazy("way consent was captured"),
}


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def check_not_negative(value: int, field: str) -> None:
    if value is None or value < 0:
        raise DomainError(
            _("{field} cannot be negative ({value}).").format(
                field=capfirst(field_label(field)), value=value
            ),
            field=field,
        )


def check_positive(value: int, field: str) -> None:
    if value is None or value <= 0:
        raise DomainError(
            _("{field} must be more than 0 ({value}).").format(
                field=capfirst(field_label(field)), value=value
            ),
            field=field,
        )


def check_choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise DomainError(
            _("“{value}” is not a valid {field}.").format(value=value, field=field_label(field)),
            field=field,
        )


def check_camera_fields(fields: dict[str, Any]) -> None:
    """Validate whichever camera fields are present in ``fields``."""
    from safeward.cameras import choices as c

    if "latitude" in fields or "longitude" in fields:
        check_point(fields.get("latitude"), fields.get("longitude"))
    checks = {
        "bearing": check_bearing,
        "fov": check_fov,
        "range_m": check_range,
        "retention_days": lambda v: check_not_negative(v, "retention_days"),
        "cost_vnd": lambda v: check_not_negative(v, "cost_vnd"),
    }
    for name, check in checks.items():
        if name in fields:
            check(fields[name])
    enums = {
        "custodian_kind": c.CustodianKind,
        "preferred_channel": c.ContactChannel,
        "recording_mode": c.RecordingMode,
        "sharing_mode": c.SharingMode,
        "status": c.CameraStatus,
    }
    for name, enum in enums.items():
        if name in fields:
            check_choice(fields[name], enum, name)
    if "custodian_label" in fields and not str(fields["custodian_label"]).strip():
        raise DomainError(_("Name the custodian."), field="custodian_label")
