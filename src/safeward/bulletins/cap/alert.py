"""CAP 1.2 alerts as data, written to and read from the OASIS XML format.

The writer follows the element order of the CAP 1.2 specification (OASIS Standard, 2010)
and its conventions: times in whole seconds with an explicit offset, UTC written
``-00:00``; polygons as closed lists of ``lat,lon`` pairs; circles as ``lat,lon radius``
(km); space-separated ``addresses`` (quoted when one holds a space) and ``references``
(``sender,identifier,sent`` triples). The reader parses with entities, DTDs and external
references refused (defusedxml).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

NS = "urn:oasis:names:tc:emergency:cap:1.2"
Q = f"{{{NS}}}"

STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")

Point = tuple[float, float]  # (latitude, longitude)
Reference = tuple[str, str, datetime]  # (sender, identifier, sent)


class CapError(ValueError):
    """A document that is not a CAP 1.2 alert, or that cannot be read safely."""


@dataclass
class CapArea:
    area_desc: str
    polygons: list[list[Point]] = field(default_factory=list)
    circles: list[tuple[float, float, float]] = field(default_factory=list)  # lat, lon, km
    geocodes: list[tuple[str, str]] = field(default_factory=list)  # valueName, value


@dataclass
class CapResource:
    resource_desc: str
    mime_type: str
    size: int | None = None
    uri: str = ""
    digest: str = ""  # SHA-1 as the specification names it; callers may give SHA-256


@dataclass
class CapInfo:
    language: str
    category: list[str]
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str = ""
    description: str = ""
    instruction: str = ""
    sender_name: str = ""
    web: str = ""
    contact: str = ""
    effective: datetime | None = None
    expires: datetime | None = None
    resources: list[CapResource] = field(default_factory=list)
    areas: list[CapArea] = field(default_factory=list)


@dataclass
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str = "Actual"
    msg_type: str = "Alert"
    scope: str = "Public"
    source: str = ""
    restriction: str = ""
    addresses: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    note: str = ""
    references: list[Reference] = field(default_factory=list)
    infos: list[CapInfo] = field(default_factory=list)


# ---------------------------------------------------------------- writing


def cap_time(moment: datetime) -> str:
    """``2026-12-04T03:00:00-00:00``: whole seconds, UTC written as the specification asks."""
    if moment.tzinfo is None:
        raise CapError(_("A CAP time needs a time zone."))
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S") + "-00:00"


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def polygon_text(points: list[Point]) -> str:
    ring = list(points)
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])  # the specification's polygons are closed
    return " ".join(f"{_number(lat)},{_number(lon)}" for lat, lon in ring)


def circle_text(lat: float, lon: float, radius_km: float) -> str:
    return f"{_number(lat)},{_number(lon)} {_number(radius_km)}"


def _addresses_text(addresses: list[str]) -> str:
    return " ".join(f'"{a}"' if " " in a else a for a in addresses)


def _references_text(references: list[Reference]) -> str:
    return " ".join(
        f"{sender},{identifier},{cap_time(sent)}" for sender, identifier, sent in references
    )


def _add(parent: Element, name: str, text: str | None) -> None:
    if text:
        SubElement(parent, Q + name).text = text


def to_element(alert: CapAlert) -> Element:
    root = Element(Q + "alert")
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", cap_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", _addresses_text(alert.addresses))
    for code in alert.code:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", _references_text(alert.references))
    for info in alert.infos:
        node = SubElement(root, Q + "info")
        _add(node, "language", info.language)
        for category in info.category:
            _add(node, "category", category)
        _add(node, "event", info.event)
        _add(node, "urgency", info.urgency)
        _add(node, "severity", info.severity)
        _add(node, "certainty", info.certainty)
        if info.effective:
            _add(node, "effective", cap_time(info.effective))
        if info.expires:
            _add(node, "expires", cap_time(info.expires))
        _add(node, "senderName", info.sender_name)
        _add(node, "headline", info.headline)
        _add(node, "description", info.description)
        _add(node, "instruction", info.instruction)
        _add(node, "web", info.web)
        _add(node, "contact", info.contact)
        for resource in info.resources:
            res = SubElement(node, Q + "resource")
            _add(res, "resourceDesc", resource.resource_desc)
            _add(res, "mimeType", resource.mime_type)
            if resource.size is not None:
                _add(res, "size", str(resource.size))
            _add(res, "uri", resource.uri)
            _add(res, "digest", resource.digest)
        for area in info.areas:
            area_node = SubElement(node, Q + "area")
            _add(area_node, "areaDesc", area.area_desc)
            for polygon in area.polygons:
                _add(area_node, "polygon", polygon_text(polygon))
            for lat, lon, radius in area.circles:
                _add(area_node, "circle", circle_text(lat, lon, radius))
            for value_name, value in area.geocodes:
                geocode = SubElement(area_node, Q + "geocode")
                _add(geocode, "valueName", value_name)
                _add(geocode, "value", value)
    return root


def to_xml(alert: CapAlert) -> bytes:
    """The alert as a UTF-8 CAP 1.2 document."""
    body = tostring(to_element(alert), encoding="unicode", default_namespace=NS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode()


# ---------------------------------------------------------------- reading


def safe_root(xml: bytes) -> Element:
    """The document's root element, refusing DTDs, entities and external references."""
    try:
        return SafeTree.fromstring(xml, forbid_dtd=True)  # type: ignore[no-any-return]
    except DefusedXmlException as exc:
        raise CapError(
            _("Document refused: it declares a DTD or entities, which are not read.")
        ) from exc
    except SafeTree.ParseError as exc:
        raise CapError(
            _("The document is not well-formed XML: %(error)s") % {"error": exc}
        ) from exc


def parse_time(text: str) -> datetime:
    value = text.strip()
    if value.endswith("-00:00"):
        value = value[:-6] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CapError(_("Not a CAP time: %(value)s") % {"value": text}) from exc
    if moment.tzinfo is None:
        raise CapError(_("A CAP time without an offset: %(value)s") % {"value": text})
    return moment


def _text(node: Element, name: str) -> str:
    child = node.find(Q + name)
    return (child.text or "").strip() if child is not None else ""


def _texts(node: Element, name: str) -> list[str]:
    return [(c.text or "").strip() for c in node.findall(Q + name)]


def parse_pairs(text: str) -> list[Point]:
    pairs: list[Point] = []
    for token in text.split():
        lat, _, lon = token.partition(",")
        pairs.append((float(lat), float(lon)))
    return pairs


def parse_circle(text: str) -> tuple[float, float, float]:
    centre, _, radius = text.strip().partition(" ")
    lat, _, lon = centre.partition(",")
    return float(lat), float(lon), float(radius)


def _references(text: str) -> list[Reference]:
    found: list[Reference] = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) != 3:
            raise CapError(
                _("A reference must read sender,identifier,sent: %(value)s") % {"value": triple}
            )
        found.append((parts[0], parts[1], parse_time(parts[2])))
    return found


def parse(xml: bytes) -> CapAlert:
    """Read a CAP 1.2 alert (checked for shape only: :func:`validate` says whether it is valid)."""
    root = safe_root(xml)
    if root.tag != Q + "alert":
        raise CapError(_("The document is not a CAP 1.2 alert."))
    try:
        return _alert(root)
    except ValueError as exc:
        raise CapError(str(exc)) from exc


def _alert(root: Element) -> CapAlert:
    infos = []
    for node in root.findall(Q + "info"):
        areas = [
            CapArea(
                area_desc=_text(a, "areaDesc"),
                polygons=[parse_pairs(p) for p in _texts(a, "polygon")],
                circles=[parse_circle(c) for c in _texts(a, "circle")],
                geocodes=[
                    (_text(g, "valueName"), _text(g, "value")) for g in a.findall(Q + "geocode")
                ],
            )
            for a in node.findall(Q + "area")
        ]
        resources = [
            CapResource(
                resource_desc=_text(r, "resourceDesc"),
                mime_type=_text(r, "mimeType"),
                size=int(_text(r, "size")) if _text(r, "size") else None,
                uri=_text(r, "uri"),
                digest=_text(r, "digest"),
            )
            for r in node.findall(Q + "resource")
        ]
        infos.append(
            CapInfo(
                language=_text(node, "language") or "en-US",
                category=_texts(node, "category"),
                event=_text(node, "event"),
                urgency=_text(node, "urgency"),
                severity=_text(node, "severity"),
                certainty=_text(node, "certainty"),
                headline=_text(node, "headline"),
                description=_text(node, "description"),
                instruction=_text(node, "instruction"),
                sender_name=_text(node, "senderName"),
                web=_text(node, "web"),
                contact=_text(node, "contact"),
                effective=parse_time(_text(node, "effective"))
                if _text(node, "effective")
                else None,
                expires=parse_time(_text(node, "expires")) if _text(node, "expires") else None,
                resources=resources,
                areas=areas,
            )
        )
    addresses = shlex.split(_text(root, "addresses")) if _text(root, "addresses") else []
    return CapAlert(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=parse_time(_text(root, "sent")),
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        scope=_text(root, "scope"),
        source=_text(root, "source"),
        restriction=_text(root, "restriction"),
        addresses=addresses,
        code=_texts(root, "code"),
        note=_text(root, "note"),
        references=_references(_text(root, "references")),
        infos=infos,
    )


def as_dict(alert: CapAlert) -> dict[str, Any]:
    """A plain summary (identifier, headlines by language, areas) for comparisons and logs."""
    return {
        "identifier": alert.identifier,
        "sender": alert.sender,
        "headlines": {i.language: i.headline for i in alert.infos},
        "areas": [a.area_desc for i in alert.infos[:1] for a in i.areas],
    }


IDENTIFIER_FORBIDDEN = re.compile(r"[\s,<&]")
