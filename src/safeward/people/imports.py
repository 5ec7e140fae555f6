"""Importing households and the persons living in them (CSV/XLSX) on the core framework.

One row per household; its persons are listed in one cell, separated by ``;``, each a
name with an optional year of birth: ``Nguyễn Văn An (1978); Trần Thị Bình (1981)``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.core.errors import DomainError
from safeward.core.importing import ImportKind, cell_int, cell_text, cell_unit, register_kind
from safeward.people import services
from safeward.people.models import Household

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

_PERSON = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<year>\d{4})\))?$")


def cell_persons(row: dict[str, str], name: str = "persons") -> list[tuple[str, int | None]]:
    """The persons of the cell: ``(full name, year of birth or None)`` each."""
    persons: list[tuple[str, int | None]] = []
    for part in (p.strip() for p in row.get(name, "").split(";")):
        if not part:
            continue
        match = _PERSON.match(part)
        if match is None or len(match["name"]) > 120:
            raise DomainError(
                _(
                    "“{value}” is not a name with an optional year of birth, such as "
                    "“Nguyễn Văn An (1978)”."
                ).format(value=part[:60]),
                field=name,
            )
        persons.append((match["name"].strip(), int(match["year"]) if match["year"] else None))
    return persons


def _values(row: dict[str, str]) -> dict[str, Any]:
    return {
        "label": cell_text(row, "label", max_length=120, required=True),
        "address": cell_text(row, "address", max_length=200),
        "phone": cell_text(row, "phone", max_length=20),
        "members": cell_int(row, "members", default=1, minimum=1, maximum=60),
        "persons": cell_persons(row),
    }


def check_household(actor: Viewer, row: dict[str, str]) -> Any:
    unit = cell_unit(row)
    values = _values(row)
    services.household_check(
        actor,
        unit=unit,
        label=values["label"],
        members=values["members"],
        persons=values["persons"],
    )
    return unit


def import_household(actor: Viewer, row: dict[str, str]) -> Household:
    return services.household_register(actor, unit=cell_unit(row), **_values(row))


HOUSEHOLDS = ImportKind(
    "households",
    gettext_lazy("Households and their members"),
    ["unit_code", "label", "address", "phone", "members", "persons"],
    lambda r: (r.get("unit_code", ""), r.get("label", "").lower()),
    import_household,
    check=check_household,
)


def register_kinds() -> None:
    register_kind(HOUSEHOLDS, "people.add_household")
