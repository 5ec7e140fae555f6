"""Loading Vietnam's real units from the ``vietnamadminunits`` package.

Before 1 July 2025: province -> district -> ward/commune (valid to 2025-06-30).
From 1 July 2025: province -> ward/commune (valid from 2025-07-01). A province
that kept its identity is one row spanning both periods; an absorbed province
ends on 2025-06-30 and succeeds into the province that absorbed it. Ward
successions come from the package's conversion map: a ward merged whole into a
new one passes share 1; a ward divided among several new wards passes equal
shares (the package does not record the divided areas), summing to exactly 1.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.importing import ImportKind, Table, register_kind
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.services import set_path

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

LEGACY_END = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)
NEW_CODE_PREFIX = "25-"
LEGACY_SUFFIX = "L"
FIELDS = [
    "name",
    "short_name",
    "kind",
    "level",
    "valid_from",
    "valid_to",
    "centroid_lat",
    "centroid_lon",
    "bbox_south",
    "bbox_west",
    "bbox_north",
    "bbox_east",
    "area_km2",
]


@dataclass
class ImportStats:
    provinces: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    successions_unchanged: int = 0
    seconds: float = 0.0
    by_level: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def fold(text: str) -> str:
    """Lower-case, accent-free, alphanumeric only: 'Quảng Ninh' -> 'quangninh'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _query(sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    import sqlite3

    path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


def _conversion() -> dict[str, Any]:
    path = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def resolve_provinces(names: list[str] | None) -> list[str]:
    """2025 province keys for the given names (all when None); unknown names are an error."""
    rows = _query("SELECT DISTINCT provinceKey, provinceShort, province FROM admin_units")
    if not names:
        return sorted(r["provinceKey"] for r in rows)
    keys = []
    for name in names:
        wanted = fold(name)
        match = [
            r["provinceKey"]
            for r in rows
            if wanted in {fold(r["provinceShort"]), fold(r["province"]), r["provinceKey"]}
        ]
        if not match:
            legacy = _query("SELECT DISTINCT provinceKey, provinceShort FROM admin_units_legacy")
            old = [r for r in legacy if fold(r["provinceShort"]) == wanted]
            hint = ""
            if old:
                new_key = next(
                    k
                    for k, v in _conversion()["DICT_PROVINCE"].items()
                    if old[0]["provinceKey"] in v
                )
                hint = " " + _("{name} was merged into {new} on 1 July 2025.").format(
                    name=old[0]["provinceShort"],
                    new=next(r["provinceShort"] for r in rows if r["provinceKey"] == new_key),
                )
            raise DomainError(
                _("Unknown province: “{name}”.").format(name=name) + hint,
                field="province",
                code="unknown_province",
            )
        keys.append(match[0])
    return keys


def _bounds(text: str | None) -> tuple[float | None, ...]:
    if not text:
        return (None, None, None, None)
    try:
        south_west, north_east = (part.strip() for part in text.replace("–", "-").split(" - "))
        s, w = (float(x) for x in south_west.split(","))
        n, e = (float(x) for x in north_east.split(","))
        return (s, w, n, e)
    except ValueError:
        return (None, None, None, None)


def _desired_units(province_key: str) -> tuple[list[dict[str, Any]], list[tuple[str, str, float]]]:
    """Unit records (parents first) and successions ``(pred_code, succ_code, share)``."""
    conv = _conversion()
    legacy_keys = conv["DICT_PROVINCE"][province_key]
    new_rows = _query(
        "SELECT * FROM admin_units WHERE provinceKey = ? ORDER BY wardCode", (province_key,)
    )
    placeholders = ",".join("?" * len(legacy_keys))
    old_rows = _query(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders}) "
        "ORDER BY provinceCode, districtCode, wardCode",
        tuple(legacy_keys),
    )
    units: list[dict[str, Any]] = []
    successions: list[tuple[str, str, float]] = []
    new_code = new_rows[0]["provinceCode"]
    province_row = new_rows[0]
    units.append(
        _record(
            new_code,
            None,
            province_row["province"],
            province_row["provinceShort"],
            province_row["province"].split(" ")[0],
            UnitLevel.PROVINCE,
            None,
            None,
            province_row["provinceLat"],
            province_row["provinceLon"],
            (None,) * 4,
            None,
        )
    )
    seen: set[str] = {new_code}
    old_key_to_code: dict[str, str] = {}
    for row in old_rows:
        continuing = row["provinceKey"] == province_key
        pcode = new_code if continuing else _legacy_province_code(row["provinceCode"], new_code)
        if pcode not in seen:
            seen.add(pcode)
            if not continuing:
                units.append(
                    _record(
                        pcode,
                        None,
                        row["province"],
                        row["provinceShort"],
                        row["province"].split(" ")[0],
                        UnitLevel.PROVINCE,
                        None,
                        LEGACY_END,
                        row["provinceLat"],
                        row["provinceLon"],
                        _bounds(row["provinceBounds"]),
                        None,
                    )
                )
                successions.append((pcode, new_code, 1.0))
        if row["districtCode"] not in seen:
            seen.add(row["districtCode"])
            units.append(
                _record(
                    row["districtCode"],
                    pcode,
                    row["district"],
                    row["districtShort"],
                    row["districtType"],
                    UnitLevel.DISTRICT,
                    None,
                    LEGACY_END,
                    row["districtLat"],
                    row["districtLon"],
                    _bounds(row["districtBounds"]),
                    None,
                )
            )
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if not row["wardCode"]:
            # An island district without communes: the district itself passes into the 2025 unit.
            old_key_to_code[key] = row["districtCode"]
            continue
        units.append(
            _record(
                row["wardCode"],
                row["districtCode"],
                row["ward"],
                row["wardShort"],
                row["wardType"],
                UnitLevel.WARD,
                None,
                LEGACY_END,
                row["wardLat"],
                row["wardLon"],
                _bounds(row["wardBounds"]),
                None,
            )
        )
        old_key_to_code[key] = row["wardCode"]
    new_key_to_code: dict[str, str] = {}
    for row in new_rows:
        code = NEW_CODE_PREFIX + row["wardCode"]
        new_key_to_code[row["wardKey"]] = code
        units.append(
            _record(
                code,
                new_code,
                row["ward"],
                row["wardShort"],
                row["wardType"],
                UnitLevel.WARD,
                REFORM_DAY,
                None,
                row["wardLat"],
                row["wardLon"],
                (None,) * 4,
                row["wardAreaKm2"],
            )
        )
    successions.extend(_ward_successions(conv, province_key, old_key_to_code, new_key_to_code))
    return units, successions


def _legacy_province_code(code: str, new_code: str) -> str:
    """An absorbed province keeps its code unless the merged province took it over."""
    return f"{code}-{LEGACY_SUFFIX}" if code == new_code else code


def _ward_successions(
    conv: dict[str, Any], province_key: str, old_codes: dict[str, str], new_codes: dict[str, str]
) -> list[tuple[str, str, float]]:
    targets: dict[str, list[str]] = {}
    for new_key, old_keys in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items():
        for old_key in old_keys:
            targets.setdefault(old_key, []).append(new_key)
    defaults: dict[str, str] = {}
    for old_key, items in conv["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items():
        for item in items:
            targets.setdefault(old_key, []).append(item["newWardKey"])
            if item.get("isDefaultNewWard"):
                defaults[old_key] = item["newWardKey"]
    result = []
    for old_key, new_keys in sorted(targets.items()):
        if old_key not in old_codes:
            continue
        unique = sorted(set(new_keys), key=lambda k: (k != defaults.get(old_key), k))
        share = round(1.0 / len(unique), 6)
        shares = [1.0 - share * (len(unique) - 1)] + [share] * (len(unique) - 1)
        for new_key, portion in zip(unique, shares, strict=True):
            result.append((old_codes[old_key], new_codes[new_key], portion))
    return result


def _record(
    code: str,
    parent_code: str | None,
    name: str,
    short: str,
    kind: str,
    level: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    lat: float | None,
    lon: float | None,
    bounds: tuple[float | None, ...],
    area: float | None,
) -> dict[str, Any]:
    s, w, n, e = bounds
    return {
        "code": code,
        "parent_code": parent_code,
        "name": name,
        "short_name": short,
        "kind": kind,
        "level": level,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "centroid_lat": lat,
        "centroid_lon": lon,
        "bbox_south": s,
        "bbox_west": w,
        "bbox_north": n,
        "bbox_east": e,
        "area_km2": area,
    }


def import_units(actor: Viewer | None = None, provinces: list[str] | None = None) -> ImportStats:
    """Load (or bring up to date) the real units of the given provinces; idempotent.

    An import job of the core framework: every record is checked first (a unit that sits
    below another parent refuses the whole load), then written in short transactions,
    new units and successions hidden until the job is done.
    """
    from safeward.core.importjobs import import_job_create, import_table

    started = time.perf_counter()
    keys = resolve_provinces(provinces)
    stats = ImportStats()
    units: dict[str, dict[str, Any]] = {}
    successions: dict[tuple[str, str], float] = {}
    for key in keys:
        records, links = _desired_units(key)
        stats.provinces.append(records[0]["short_name"])
        units.update((r["code"], r) for r in records)
        successions.update(((p, q), share) for p, q, share in links)
    plan = _UnitPlan(units, successions, stats)
    job = import_job_create(
        actor, UNITS, name=f"vietnamadminunits: {', '.join(stats.provinces)}"[:255], partial=False
    )
    result = import_table(job, plan.kind(), plan.table())
    if not result.ok:
        first = result.errors[0]
        raise DomainError(first.message, field=first.field or "code")
    if stats.created or stats.updated or stats.successions_created or stats.successions_updated:
        audit_record(
            actor,
            "units.import",
            job,
            changes={k: v for k, v in stats.as_dict().items() if k != "seconds"},
        )
    stats.seconds = round(time.perf_counter() - started, 3)
    return stats


class _UnitPlan:
    """What loading ``units`` and ``successions`` changes, as rows of an import table."""

    def __init__(
        self,
        units: dict[str, dict[str, Any]],
        successions: dict[tuple[str, str], float],
        stats: ImportStats,
    ) -> None:
        self.units, self.successions, self.stats = units, successions, stats
        # Changes to rows already visible wait for the switch-in (see ImportKind.switch_in).
        self.changed_units: dict[str, list[str]] = {}
        self.changed_successions: list[UnitSuccession] = []
        # Every unit by code, existing or written by this load (hidden until it is done).
        self.by_code: dict[str, AdminUnit] = dict(
            AdminUnit._base_manager.in_bulk(list(units), field_name="code")
        )
        self.existing = {
            (s.predecessor.code, s.successor.code): s
            for s in UnitSuccession._base_manager.select_related("predecessor", "successor").filter(
                predecessor__code__in=[p for p, _ in successions]
            )
        }
        self._count()

    def _count(self) -> None:
        stats = self.stats
        for record in self.units.values():
            stats.by_level[record["level"]] = stats.by_level.get(record["level"], 0) + 1
            unit = self.by_code.get(record["code"])
            if unit is None:
                stats.created += 1
            elif self._changed(unit, record):
                stats.updated += 1
            else:
                stats.unchanged += 1
        for pair, share in self.successions.items():
            current = self.existing.get(pair)
            if current is None:
                stats.successions_created += 1
            elif abs(current.share - share) > 1e-9 or current.date != REFORM_DAY:
                stats.successions_updated += 1
            else:
                stats.successions_unchanged += 1

    @staticmethod
    def _changed(unit: AdminUnit, record: dict[str, Any]) -> list[str]:
        return [k for k in FIELDS if getattr(unit, k) != record[k]]

    def table(self) -> Table:
        rows: list[tuple[int, dict[str, str]]] = []
        for code in self.units:  # parents come before their children
            rows.append((len(rows) + 1, {"record": "unit", "code": code}))
        for pred, succ in self.successions:
            rows.append((len(rows) + 1, {"record": "succession", "code": pred, "successor": succ}))
        return Table(["record", "code", "successor"], rows, "dataset")

    def kind(self) -> ImportKind:
        return ImportKind(
            UNITS.code,
            UNITS.label,
            UNITS.columns,
            lambda r: (r["record"], r["code"], r.get("successor", "")),
            self.handle,
            check=self.check,
            switch_in=self.switch_in,
        )

    def check(self, actor: Viewer | None, row: dict[str, str]) -> None:
        if row["record"] != "unit":
            return
        record = self.units[row["code"]]
        unit = self.by_code.get(record["code"])
        parent = self.by_code.get(record["parent_code"]) if record["parent_code"] else None
        if unit is not None and unit.parent_id != (parent.pk if parent else None):
            raise Conflict(
                _("Unit {code} ({name}) already sits below another parent; move it first.").format(
                    code=unit.code, name=unit.name
                ),
                field="code",
            )

    def handle(self, actor: Viewer | None, row: dict[str, str]) -> None:
        if row["record"] == "unit":
            self._write_unit(self.units[row["code"]])
        else:
            self._write_succession(row["code"], row["successor"])

    def _write_unit(self, record: dict[str, Any]) -> None:
        values = {k: record[k] for k in FIELDS}
        unit = self.by_code.get(record["code"])
        if unit is None:
            parent = self.by_code[record["parent_code"]] if record["parent_code"] else None
            unit = AdminUnit.objects.create(
                code=record["code"], parent=parent, source="vietnamadminunits", **values
            )
            set_path(unit)
            self.by_code[record["code"]] = unit
            return
        changed = self._changed(unit, record)
        if changed:
            self.changed_units[record["code"]] = changed

    def _write_succession(self, pred_code: str, succ_code: str) -> None:
        share = self.successions[(pred_code, succ_code)]
        current = self.existing.get((pred_code, succ_code))
        if current is None:
            UnitSuccession.objects.create(
                predecessor=self.by_code[pred_code],
                successor=self.by_code[succ_code],
                date=REFORM_DAY,
                share=share,
                note="vietnamadminunits",
            )
        elif abs(current.share - share) > 1e-9 or current.date != REFORM_DAY:
            self.changed_successions.append(current)

    def switch_in(self) -> None:
        """Bring the existing units and successions up to date, in the switch-in's transaction."""
        for code, fields in self.changed_units.items():
            unit, record = self.by_code[code], self.units[code]
            for k in fields:
                setattr(unit, k, record[k])
            unit.save(update_fields=fields)
        for current in self.changed_successions:
            pair = (current.predecessor.code, current.successor.code)
            current.share, current.date = self.successions[pair], REFORM_DAY
            current.save(update_fields=["share", "date"])


# The load of the package's units, as an import kind: its jobs show on the import pages
# like a file's. Rows come from the dataset, so the columns only name the records.
UNITS = ImportKind(
    "units",
    gettext_lazy("Administrative units (national dataset)"),
    ["record", "code"],
    lambda r: (r.get("record", ""), r.get("code", ""), r.get("successor", "")),
    lambda actor, row: None,
)


def register_kinds() -> None:
    register_kind(UNITS, "geo.add_adminunit")
