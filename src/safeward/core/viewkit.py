"""Small helpers the API endpoints share: a day from a query parameter, and fields fixed
at creation. Pages are declared on :mod:`safeward.core.views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from safeward.core.errors import Conflict, DomainError
from safeward.core.filters import parse_iso_date


def parse_day(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    day = parse_iso_date(value)
    if day is None:
        raise DomainError(
            _("{field} must be a date written YYYY-MM-DD.").format(field=field), field=field
        )
    return day


def reject_fixed(data: dict[str, Any], instance: Any, *names: str) -> dict[str, Any]:
    """Drop fields fixed at creation, refusing any attempt to change them."""
    for name in names:
        if name in data and data.pop(name) != getattr(instance, name):
            raise Conflict(_("{field} cannot be changed.").format(field=name), field=name)
    return data
