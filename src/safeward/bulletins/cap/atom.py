"""An Atom 1.0 feed of CAP alerts, each entry linking to its CAP document.

This is the shape CAP aggregators read (the WMO register of alerting authorities and
Google Public Alerts take Atom feeds whose entries link to ``application/cap+xml``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml.etree import Element, SubElement, tostring

from safeward.bulletins.cap.alert import CapAlert

ATOM = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM}}}"
CAP_MIME = "application/cap+xml"


@dataclass(frozen=True)
class FeedEntry:
    alert: CapAlert
    cap_url: str  # the entry's CAP document (absolute URL)
    page_url: str = ""  # its page for people, when it has one
    language: str = ""  # the info block the entry's title and summary come from


def atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _info(entry: FeedEntry) -> tuple[str, str, str]:
    infos = entry.alert.infos
    chosen = next((i for i in infos if i.language == entry.language), infos[0] if infos else None)
    if chosen is None:
        return entry.alert.identifier, "", ""
    return chosen.headline or chosen.event, chosen.description, chosen.sender_name


def atom_feed(
    entries: Iterable[FeedEntry], *, feed_url: str, title: str, updated: datetime, author: str
) -> bytes:
    feed = Element(A + "feed", nsmap={None: ATOM})  # type: ignore[dict-item]
    SubElement(feed, A + "id").text = feed_url
    SubElement(feed, A + "title").text = title
    SubElement(feed, A + "updated").text = atom_time(updated)
    SubElement(feed, A + "link", rel="self", type="application/atom+xml", href=feed_url)
    SubElement(SubElement(feed, A + "author"), A + "name").text = author
    for entry in entries:
        headline, summary, sender_name = _info(entry)
        node = SubElement(feed, A + "entry")
        SubElement(node, A + "id").text = entry.cap_url
        SubElement(node, A + "title").text = headline
        SubElement(node, A + "updated").text = atom_time(entry.alert.sent)
        SubElement(node, A + "published").text = atom_time(entry.alert.sent)
        if sender_name:
            SubElement(SubElement(node, A + "author"), A + "name").text = sender_name
        if summary:
            SubElement(node, A + "summary").text = summary
        SubElement(node, A + "link", rel="alternate", type=CAP_MIME, href=entry.cap_url)
        if entry.page_url:
            SubElement(node, A + "link", rel="related", type="text/html", href=entry.page_url)
    return bytes(tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))
