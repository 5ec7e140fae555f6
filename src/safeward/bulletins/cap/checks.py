"""Whether a document is a valid CAP 1.2 alert: the OASIS schema, then the rules it leaves out.

The schema (``schema/CAP-v1.2.xsd``, the official OASIS file) checks structure, element
order and the code lists. The specification's text adds rules no schema states, checked
here one by one, each with its own message: identifier and sender without spaces, commas,
``<`` or ``&``; UTC written ``-00:00``; polygons closed with at least four pairs; circles
``lat,lon radius``; ``addresses`` with Private scope, ``restriction`` with Restricted,
``references`` on Update and Cancel.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _
from lxml import etree

from safeward.bulletins.cap.alert import IDENTIFIER_FORBIDDEN, CapError, Q, safe_root

SCHEMA = Path(__file__).resolve().parent / "schema" / "CAP-v1.2.xsd"
TIME_ELEMENTS = ("sent", "effective", "onset", "expires")
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([-+])(\d\d):(\d\d)$")
NUMBER = r"-?\d+(?:\.\d+)?"
PAIR = re.compile(rf"^({NUMBER}),({NUMBER})$")
CIRCLE = re.compile(rf"^({NUMBER}),({NUMBER}) ({NUMBER})$")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), _parser()))


def validate(xml: bytes) -> list[str]:
    """Every way the document falls short of CAP 1.2; an empty list when it is valid."""
    try:
        root = safe_root(xml)
    except CapError as exc:
        return [str(exc)]
    if root.tag != Q + "alert":
        return [_("The document is not a CAP 1.2 alert.")]
    problems: list[str] = []
    checker = schema()
    if not checker.validate(etree.fromstring(xml, _parser())):
        problems += [
            _("line %(line)s: %(message)s") % {"line": e.line, "message": e.message}
            for e in checker.error_log  # type: ignore[attr-defined]
        ]
    problems += _rules(root)
    return problems


def _text(node: Element, name: str) -> str:
    child = node.find(Q + name)
    return (child.text or "").strip() if child is not None else ""


def _rules(root: Element) -> list[str]:
    problems: list[str] = []
    for name in ("identifier", "sender"):
        value = _text(root, name)
        if IDENTIFIER_FORBIDDEN.search(value):
            problems.append(
                _("%(element)s must not hold spaces, commas, < or &: %(value)s")
                % {"element": name, "value": value}
            )
    for node in root.iter():
        local = node.tag.removeprefix(Q)
        if local in TIME_ELEMENTS and node.text:
            problems += _time_problems(local, node.text.strip())
    scope, msg_type = _text(root, "scope"), _text(root, "msgType")
    if scope == "Private" and not _text(root, "addresses"):
        problems.append(_("A Private alert needs addresses."))
    if scope == "Restricted" and not _text(root, "restriction"):
        problems.append(_("A Restricted alert needs a restriction."))
    references = _text(root, "references")
    if msg_type in {"Update", "Cancel"} and not references:
        problems.append(_("An Update or Cancel needs references to the alerts it changes."))
    for triple in references.split():
        parts = triple.split(",")
        if len(parts) != 3 or not all(parts):
            problems.append(
                _("A reference must read sender,identifier,sent: %(value)s") % {"value": triple}
            )
        else:
            problems += _time_problems("references", parts[2])
    for area in root.iter(Q + "area"):
        for polygon in area.findall(Q + "polygon"):
            problems += _polygon_problems((polygon.text or "").strip())
        for circle in area.findall(Q + "circle"):
            problems += _circle_problems((circle.text or "").strip())
    return problems


def _time_problems(element: str, text: str) -> list[str]:
    match = CAP_TIME.match(text)
    if not match:
        return [
            _(
                "%(element)s must be a time with an offset, such as 2026-12-04T10:00:00-00:00: %(value)s"
            )
            % {"element": element, "value": text}
        ]
    sign, hours, minutes = match.groups()
    if sign == "+" and hours == "00" and minutes == "00":
        return [
            _("%(element)s: UTC is written -00:00, not +00:00: %(value)s")
            % {"element": element, "value": text}
        ]
    return []


def _in_range(lat: float, lon: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lon <= 180


def _polygon_problems(text: str) -> list[str]:
    tokens = text.split()
    pairs = [PAIR.match(t) for t in tokens]
    if not tokens or not all(pairs):
        return [
            _("A polygon must be lat,lon pairs separated by spaces: %(value)s") % {"value": text}
        ]
    points = [(float(m.group(1)), float(m.group(2))) for m in pairs if m]
    problems = []
    if len(points) < 4:
        problems.append(_("A polygon needs at least 4 pairs: %(value)s") % {"value": text})
    if points[0] != points[-1]:
        problems.append(
            _("A polygon must end where it begins (first and last pairs equal): %(value)s")
            % {"value": text}
        )
    if not all(_in_range(lat, lon) for lat, lon in points):
        problems.append(_("A polygon point is off the globe: %(value)s") % {"value": text})
    return problems


def _circle_problems(text: str) -> list[str]:
    match = CIRCLE.match(text)
    if not match:
        return [_("A circle must read lat,lon radius: %(value)s") % {"value": text}]
    lat, lon, radius = (float(g) for g in match.groups())
    if not _in_range(lat, lon):
        return [_("A circle's centre is off the globe: %(value)s") % {"value": text}]
    if radius < 0:
        return [_("A circle's radius cannot be negative: %(value)s") % {"value": text}]
    return []
