"""Validating the answers to a category's custom attributes."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from safeward.core.errors import DomainError
from safeward.reports.choices import MAX_TEXT, AttributeType
from safeward.reports.models import CategoryAttribute, ServiceCategory

# Answers are kept in JSON, which readers take as 64-bit floats: beyond this they lose digits.
MAX_NUMBER = 2**53


def _error(attr: CategoryAttribute, message: str) -> DomainError:
    return DomainError(message, field=f"attribute[{attr.code}]", code="bad_attribute")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v) != ""]
    return [str(value)] if value not in (None, "") else []


def _number(attr: CategoryAttribute, value: Any) -> int | float:
    """A finite number: ``inf``, ``nan`` and ``1.5e999`` (read as infinity) are refused."""
    text = str(value).strip()
    try:
        number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not -MAX_NUMBER <= number <= MAX_NUMBER:  # also false for nan
        raise _error(attr, _("“{q}” must be a number.").format(q=attr.description))
    return number


def _clean_one(attr: CategoryAttribute, value: Any) -> Any:
    kind = attr.datatype
    if kind == AttributeType.NUMBER:
        return _number(attr, value)
    if kind == AttributeType.DATETIME:
        try:
            parsed = parse_datetime(str(value)) if not isinstance(value, dt.datetime) else value
        except ValueError:  # well formed but impossible, such as 2026-02-30
            parsed = None
        if parsed is None:
            raise _error(attr, _("“{q}” must be a date and time.").format(q=attr.description))
        return parsed.isoformat()
    if kind == AttributeType.SINGLE:
        if str(value) not in attr.value_keys():
            raise _error(
                attr, _("“{q}”: choose one of the offered answers.").format(q=attr.description)
            )
        return str(value)
    if kind == AttributeType.MULTI:
        values = _as_list(value)
        if any(v not in attr.value_keys() for v in values):
            raise _error(
                attr, _("“{q}”: choose among the offered answers.").format(q=attr.description)
            )
        return values
    text = str(value)
    if len(text) > MAX_TEXT:
        raise _error(attr, _("“{q}” is too long.").format(q=attr.description))
    return text


def clean_attributes(category: ServiceCategory, raw: dict[str, Any]) -> dict[str, Any]:
    """The answers keyed by attribute code, checked against the category's definitions."""
    cleaned: dict[str, Any] = {}
    for attr in category.attributes.all():
        value = raw.get(attr.code)
        if value in (None, "", []):
            if attr.required:
                raise _error(attr, _("“{q}” is required.").format(q=attr.description))
            continue
        if attr.datatype != AttributeType.MULTI and isinstance(value, list):
            value = value[0] if value else ""
        cleaned[attr.code] = _clean_one(attr, value)
    return cleaned
