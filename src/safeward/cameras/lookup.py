"""Which cameras could have seen this: a grid-cell prefilter in SQL, exact checks in Python.

The prefilter is one prepared statement on indexed columns (the 3x3 block of grid cells
around the point, see :mod:`safeward.cameras.grid`); the sphere distance and the view
sector are then checked exactly with :mod:`safeward.geo.geometry`. A scoped queryset,
when given, narrows the few survivors to what the user may see.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.cameras.choices import REQUESTABLE, CameraStatus
from safeward.cameras.grid import MAX_RANGE_M, neighbour_cells
from safeward.cameras.models import Camera
from safeward.geo.geometry import angle_between, bearing_deg, haversine_m

M_PER_DEG = 6_371_008.8 * math.pi / 180.0


@dataclass
class Candidate:
    """A camera that could hold footage of the incident, with why and until when."""

    camera: Camera
    distance_m: float
    kept_until: dt.datetime
    reasons: list[str] = field(default_factory=list)
    sees_point: bool = True  # False: in the request's radius, for the way to or from it


@lru_cache(maxsize=4)
def _prefilter_sql(vendor: str) -> str:
    """One statement: nine grid cells, the requestable rules, and a planar distance bound
    1% looser than the exact sphere distance, so Python sees only near-certain rows."""
    cam = Camera._meta.db_table
    cells = "= ANY(%s)" if vendor == "postgresql" else "IN ({})".format(", ".join(["%s"] * 9))
    modes = ", ".join(["%s"] * len(REQUESTABLE))
    return (
        f"SELECT c.id, c.latitude, c.longitude, c.bearing, c.fov, c.range_m, c.retention_days"
        f" FROM {cam} c WHERE c.cell {cells} AND c.status = %s AND c.consent_active"
        f" AND c.sharing_mode IN ({modes})"
        " AND (c.installed_on IS NULL OR c.installed_on <= %s)"
        " AND c.retention_days * %s >= %s"
        " AND ((c.latitude - %s) * %s) * ((c.latitude - %s) * %s)"
        " + ((c.longitude - %s) * %s) * ((c.longitude - %s) * %s)"
        " <= (c.range_m * %s + %s) * (c.range_m * %s + %s)"
    )


def _params(lat: float, lon: float, when: dt.datetime, now: dt.datetime, vendor: str) -> list[Any]:
    m_lon = M_PER_DEG * math.cos(math.radians(lat))
    day = when.date() if vendor == "postgresql" else when.date().isoformat()
    cells = neighbour_cells(lat, lon)
    return [
        *([cells] if vendor == "postgresql" else cells),
        CameraStatus.WORKING,
        *REQUESTABLE,
        day,
        86400.0,
        (now - when).total_seconds(),
        lat, M_PER_DEG, lat, M_PER_DEG, lon, m_lon, lon, m_lon,
        1.01, 1.0, 1.01, 1.0,
    ]  # fmt: skip


def _fetch(conn: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    if conn.vendor != "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    # A server-side prepared statement: PostgreSQL plans the lookup once per connection.
    import psycopg

    conn.ensure_connection()
    with psycopg.Cursor(conn.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return list(cursor.fetchall())


def _sees(row: tuple[Any, ...], lat: float, lon: float, radius_m: float) -> float | None:
    """The distance when the point lies in the camera's sector and within the radius."""
    _pk, clat, clon, bearing, fov, range_m, _days = row
    distance = haversine_m(clat, clon, lat, lon)
    if distance > range_m or distance > radius_m:
        return None
    outside = angle_between(bearing_deg(clat, clon, lat, lon), bearing) > fov / 2.0 + 1e-9
    if fov < 360.0 and distance >= 0.01 and outside:
        return None
    return distance


def matching_rows(
    lat: float,
    lon: float,
    when: dt.datetime,
    *,
    now: dt.datetime | None = None,
    radius_m: float = MAX_RANGE_M,
    using: str = "default",
) -> list[tuple[float, tuple[Any, ...]]]:
    """``(distance, row)`` for every qualifying camera, nearest first (no model instances)."""
    now = now or timezone.now()
    conn = connections[using]
    rows = _fetch(conn, _prefilter_sql(conn.vendor), _params(lat, lon, when, now, conn.vendor))
    found = []
    for row in rows:
        distance = _sees(row, lat, lon, radius_m)
        if distance is not None:
            found.append((distance, row))
    found.sort(key=lambda item: (item[0], item[1][0]))
    return found


def camera_candidates_for_point(
    lat: float,
    lon: float,
    when: dt.datetime,
    *,
    now: dt.datetime | None = None,
    radius_m: float = MAX_RANGE_M,
    queryset: QuerySet[Camera] | None = None,
) -> list[Candidate]:
    """Cameras whose range and sector reach the point, whose retention still holds footage
    of ``when``, whose sharing mode and active consent allow a request; nearest first."""
    db = queryset.db if queryset is not None else "default"
    rows = matching_rows(lat, lon, when, now=now, radius_m=radius_m, using=db)
    if not rows:
        return []
    base = queryset if queryset is not None else Camera.objects.using(db)
    cameras = base.select_related("unit").in_bulk([r[0] for _d, r in rows])
    return [
        _explain(cameras[row[0]], distance, when) for distance, row in rows if row[0] in cameras
    ]


def _explain(
    camera: Camera, distance: float, when: dt.datetime, sight: list[str] | None = None
) -> Candidate:
    """The candidate with its reasons: how it sees the point, or (``sight``, the reasons it
    does not) why it may still show the way to or from it; then its footage and sharing."""
    kept_until = camera.kept_until(when)
    if sight:
        seen = [*sight, _("within the radius: it may show the way to or from the place")]
    else:
        if camera.fov >= 360:
            view = _("an all-round camera")
        else:
            view = _("the point lies in its {fov:.0f}° view facing {bearing:.0f}°").format(
                fov=camera.fov, bearing=camera.bearing
            )
        within = _("{distance:.0f} m away, within its {range} m range").format(
            distance=distance, range=camera.range_m
        )
        seen = [within, view]
    reasons = [
        *seen,
        _("keeps footage {days} days, until {until}").format(
            days=camera.retention_days,
            until=timezone.localtime(kept_until).strftime("%Y-%m-%d %H:%M"),
        ),
        _("sharing: {mode}, consent active").format(mode=camera.get_sharing_mode_display()),
    ]
    return Candidate(camera, distance, kept_until, reasons, sees_point=not sight)


def camera_candidates_for_report(report: Any, **kwargs: Any) -> list[Candidate]:
    """Candidates for a report's point and time of incident (none without a point)."""
    if report.latitude is None or report.longitude is None:
        return []
    return camera_candidates_for_point(
        report.latitude, report.longitude, report.occurred_at, **kwargs
    )


# --- the whole neighbourhood of a point: who can be asked, and why the others cannot -------
@dataclass
class NearMiss:
    """A camera near the point that cannot be asked, with every reason why."""

    camera: Camera
    distance_m: float
    reasons: list[str]


@dataclass
class Survey:
    """Every camera within ``radius_m`` of a point: those that see it, those that may show
    the way to or from it (in the radius, but out of range or facing away), and those
    that cannot be asked at all, each with its reasons. Nearest first in each list."""

    radius_m: int
    seeing: list[Candidate]
    nearby: list[Candidate]
    unavailable: list[NearMiss]

    @property
    def askable(self) -> list[Candidate]:
        return [*self.seeing, *self.nearby]


def _blockers(camera: Camera, when: dt.datetime, now: dt.datetime) -> list[str]:
    """Why a camera cannot be asked for footage of ``when`` at all (empty: it can)."""
    reasons = []
    if camera.status != CameraStatus.WORKING:
        reasons.append(_("not working ({status})").format(status=camera.get_status_display()))
    if not camera.consent_active:
        reasons.append(_("its custodian has not consented, or has withdrawn consent"))
    if camera.sharing_mode not in REQUESTABLE:
        reasons.append(
            _("not shared on request ({mode})").format(mode=camera.get_sharing_mode_display())
        )
    if camera.installed_on is not None and camera.installed_on > timezone.localdate(when):
        reasons.append(
            _("installed on {day}, after the incident").format(
                day=camera.installed_on.strftime("%Y-%m-%d")
            )
        )
    kept_until = camera.kept_until(when)
    if kept_until < now:
        reasons.append(
            _("recording already overwritten on {day}").format(
                day=timezone.localtime(kept_until).strftime("%Y-%m-%d %H:%M")
            )
        )
    return reasons


def _sight(camera: Camera, lat: float, lon: float, distance: float) -> list[str]:
    """Why a camera does not see the point (empty: it does)."""
    reasons = []
    if distance > camera.range_m:
        reasons.append(
            _("out of range by {gap:.0f} m ({distance:.0f} m away, range {range} m)").format(
                gap=distance - camera.range_m, distance=distance, range=camera.range_m
            )
        )
    if camera.fov < 360.0 and distance >= 0.01:
        off = angle_between(
            bearing_deg(camera.latitude, camera.longitude, lat, lon), camera.bearing
        )
        if off > camera.fov / 2.0 + 1e-9:
            reasons.append(
                _("faces away: the point is {off:.0f}° off its {fov:.0f}° view").format(
                    off=off, fov=camera.fov
                )
            )
    return reasons


def camera_survey(
    lat: float,
    lon: float,
    when: dt.datetime,
    *,
    radius_m: int,
    queryset: QuerySet[Camera] | None = None,
    now: dt.datetime | None = None,
) -> Survey:
    """Every camera (of ``queryset``) within ``radius_m`` of the point, sorted into those
    that see it, those nearby that may have filmed the approach, and those that cannot be
    asked, so a requesting officer always learns why a camera is missing.

    An officer's page, not the hot path: one bounding-box query on the coordinates, then
    the exact distance and view for each camera in the box (a few dozen in a ward).
    """
    now = now or timezone.now()
    base = queryset if queryset is not None else Camera.objects.all()
    dlat = radius_m / M_PER_DEG
    dlon = radius_m / (M_PER_DEG * max(math.cos(math.radians(lat)), 0.01))
    boxed = base.filter(
        latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon)
    ).select_related("unit")
    survey = Survey(radius_m, [], [], [])
    for camera in boxed:
        distance = haversine_m(camera.latitude, camera.longitude, lat, lon)
        if distance > radius_m:
            continue
        blockers = _blockers(camera, when, now)
        sight = _sight(camera, lat, lon, distance)
        if blockers:
            survey.unavailable.append(NearMiss(camera, distance, [*blockers, *sight]))
        elif sight:
            survey.nearby.append(_explain(camera, distance, when, sight))
        else:
            survey.seeing.append(_explain(camera, distance, when))
    for rows in (survey.seeing, survey.nearby, survey.unavailable):
        rows.sort(key=lambda row: (row.distance_m, row.camera.pk))
    return survey
