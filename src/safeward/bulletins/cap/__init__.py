"""CAP 1.2 (OASIS Common Alerting Protocol): alerts as data, their XML, checks and feed."""

from safeward.bulletins.cap.alert import (
    CATEGORIES,
    CERTAINTIES,
    MSG_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    URGENCIES,
    CapAlert,
    CapArea,
    CapError,
    CapInfo,
    CapResource,
    cap_time,
    parse,
    to_xml,
)
from safeward.bulletins.cap.atom import FeedEntry, atom_feed
from safeward.bulletins.cap.checks import validate

__all__ = [
    "CATEGORIES",
    "CERTAINTIES",
    "MSG_TYPES",
    "SCOPES",
    "SEVERITIES",
    "STATUSES",
    "URGENCIES",
    "CapAlert",
    "CapArea",
    "CapError",
    "CapInfo",
    "CapResource",
    "FeedEntry",
    "atom_feed",
    "cap_time",
    "parse",
    "to_xml",
    "validate",
]
