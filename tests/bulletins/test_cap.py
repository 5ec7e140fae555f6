"""CAP 1.2: what we write is valid against the OASIS schema and the specification's own
rules, reads back the same, is read the same by an independent schema-driven reader
(xmlschema) and feed reader (feedparser), and a hostile document is refused unread."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest
import xmlschema
from django.utils import translation

from safeward.bulletins.cap import (
    CapAlert,
    CapArea,
    CapError,
    CapInfo,
    CapResource,
    FeedEntry,
    atom_feed,
    cap_time,
    parse,
    to_xml,
    validate,
)
from safeward.bulletins.cap.checks import SCHEMA

SENT = datetime(2026, 12, 4, 3, 15, 27, 123456, tzinfo=UTC)
HANOI = timezone(timedelta(hours=7))


def _alert(**changes: object) -> CapAlert:
    info_vi = CapInfo(
        language="vi-VN",
        category=["Security"],
        event="Tình hình ma túy",
        urgency="Expected",
        severity="Moderate",
        certainty="Likely",
        headline="Công an phường Cửa Ông: tình hình ma túy tháng 12",
        description="Xuất hiện đối tượng lạ mời chào ma túy gần chợ & bến xe <khu 3>.",
        instruction="Không tiếp xúc; báo ngay cho công an phường.",
        sender_name="Công an phường Cửa Ông",
        expires=SENT + timedelta(days=7),
        resources=[CapResource("Tờ rơi", "application/pdf", size=2048, uri="https://x.test/a.pdf")],
        areas=[
            CapArea(
                "Khu 3, phường Cửa Ông",
                polygons=[[(21.02, 107.35), (21.03, 107.36), (21.01, 107.37)]],
                circles=[(21.025, 107.355, 1.5)],
                geocodes=[("VN-ADMIN", "22072")],
            )
        ],
    )
    info_en = replace(info_vi, language="en-US", headline="Cua Ong ward police: drug situation")
    alert = CapAlert(
        identifier="safeward-qn-cuaong-2026-0042",
        sender="cong-an.cua-ong@safeward.example",
        sent=SENT,
        infos=[info_vi, info_en],
    )
    return replace(alert, **changes)  # type: ignore[arg-type]


def test_the_vendored_schema_is_the_oasis_file() -> None:
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest == "b7798ef25868b068c97b268bda02d067c7d4ba9373adc5638bf37105804ee723"
    assert b"Copyright OASIS Open 2010 All Rights Reserved" in SCHEMA.read_bytes()


def test_what_we_write_is_valid_and_reads_back_the_same() -> None:
    alert = _alert()
    xml = to_xml(alert)
    assert validate(xml) == []
    text = xml.decode()
    assert "<sent>2026-12-04T03:15:27-00:00</sent>" in text  # whole seconds, UTC as -00:00
    # The polygon is closed (its first pair repeated) and the circle is "lat,lon radius".
    assert "<polygon>21.02,107.35 21.03,107.36 21.01,107.37 21.02,107.35</polygon>" in text
    assert "<circle>21.025,107.355 1.5</circle>" in text
    assert "chợ &amp; bến xe &lt;khu 3&gt;" in text
    back = parse(xml)
    assert back.identifier == alert.identifier
    assert back.sent == SENT.replace(microsecond=0)
    assert [i.headline for i in back.infos] == [i.headline for i in alert.infos]
    assert back.infos[0].description == alert.infos[0].description
    assert back.infos[0].areas[0].polygons[0][0] == back.infos[0].areas[0].polygons[0][-1]
    assert back.infos[0].areas[0].circles == [(21.025, 107.355, 1.5)]
    assert back.infos[0].resources[0].size == 2048


def test_times_in_other_zones_are_written_in_utc() -> None:
    assert cap_time(datetime(2026, 12, 4, 10, 0, tzinfo=HANOI)) == "2026-12-04T03:00:00-00:00"
    with pytest.raises(CapError):
        cap_time(datetime(2026, 12, 4, 10, 0))  # a naive time is refused


def test_private_restricted_update_and_cancel_carry_what_they_need() -> None:
    private = _alert(scope="Private", addresses=["cong-an.cam-thinh", "Ban CTMT khu 3"])
    xml = to_xml(private)
    assert validate(xml) == []
    assert parse(xml).addresses == ["cong-an.cam-thinh", "Ban CTMT khu 3"]
    restricted = _alert(scope="Restricted", restriction="Công an phường")
    assert validate(to_xml(restricted)) == []
    earlier = ("cong-an.cua-ong@safeward.example", "safeward-qn-cuaong-2026-0041", SENT)
    update = _alert(msg_type="Update", references=[earlier])
    xml = to_xml(update)
    assert validate(xml) == []
    assert "safeward-qn-cuaong-2026-0041,2026-12-04T03:15:27-00:00" in xml.decode()
    assert parse(xml).references[0][1] == "safeward-qn-cuaong-2026-0041"


def _swap(xml: bytes, old: str, new: str) -> bytes:
    assert old.encode() in xml
    return xml.replace(old.encode(), new.encode(), 1)


GOOD = to_xml(_alert())


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_swap(GOOD, "safeward-qn-cuaong-2026-0042", "safeward qn 42"), "identifier must not"),
        (_swap(GOOD, "safeward-qn-cuaong-2026-0042", "qn,42"), "identifier must not"),
        (_swap(GOOD, "cong-an.cua-ong@safeward.example", "a&amp;b"), "sender must not"),
        (
            _swap(GOOD, "<sent>2026-12-04T03:15:27-00:00", "<sent>2026-12-04T03:15:27+00:00"),
            "-00:00",
        ),
        (
            _swap(
                GOOD,
                "21.02,107.35 21.03,107.36 21.01,107.37 21.02,107.35",
                "21.02,107.35 21.03,107.36 21.02,107.35",
            ),
            "at least 4 pairs",
        ),
        (
            _swap(
                GOOD,
                "21.02,107.35 21.03,107.36 21.01,107.37 21.02,107.35",
                "21.02,107.35 21.03,107.36 21.01,107.37 21.04,107.35",
            ),
            "end where it begins",
        ),
        (_swap(GOOD, "<circle>21.025,107.355 1.5", "<circle>21.025 107.355,1.5"), "lat,lon radius"),
        (_swap(GOOD, "<circle>21.025,107.355 1.5", "<circle>121.025,107.355 1.5"), "off the globe"),
        (_swap(GOOD, "<scope>Public", "<scope>Private"), "Private alert needs addresses"),
        (_swap(GOOD, "<scope>Public", "<scope>Restricted"), "Restricted alert needs a restriction"),
        (_swap(GOOD, "<msgType>Alert", "<msgType>Cancel"), "needs references"),
        (_swap(GOOD, "<severity>Moderate", "<severity>Bad"), "severity"),  # the schema's code list
        (_swap(GOOD, "<status>Actual</status>", ""), "status"),  # a required element missing
    ],
)
def test_each_rule_refuses_on_its_own_with_its_message(document: bytes, message: str) -> None:
    with translation.override("en"):
        problems = validate(document)
    assert problems, "the broken document passed"
    assert any(message in p for p in problems), problems


def test_messages_are_in_the_readers_language() -> None:
    document = _swap(GOOD, "<scope>Public", "<scope>Private")
    with translation.override("vi"):
        problems = validate(document)
    assert problems == ["Cảnh báo phạm vi Riêng tư cần có danh sách người nhận (addresses)."]


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;&x;&x;">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&y;</identifier></alert>',
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&f;</identifier></alert>',
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_entities_and_external_references_are_refused_unread(hostile: bytes) -> None:
    with translation.override("en"):
        with pytest.raises(CapError, match="refused"):
            parse(hostile)
        problems = validate(hostile)
    assert len(problems) == 1 and "refused" in problems[0]
    assert "root:" not in problems[0]  # /etc/passwd never read


def test_not_xml_or_not_an_alert_is_a_clear_error() -> None:
    with translation.override("en"):
        with pytest.raises(CapError, match="not well-formed"):
            parse(b"<alert>")
        with pytest.raises(CapError, match=r"not a CAP 1\.2 alert"):
            parse(b"<feed/>")
        assert validate(b"<feed/>") == ["The document is not a CAP 1.2 alert."]


def test_an_independent_schema_reader_gets_the_same_alert() -> None:
    """xmlschema (its own XSD implementation, not lxml's libxml2) decodes our document."""
    reader = xmlschema.XMLSchema(str(SCHEMA))
    xml = to_xml(_alert())
    assert reader.is_valid(xml.decode())
    decoded = reader.to_dict(xml.decode())
    assert decoded["identifier"] == "safeward-qn-cuaong-2026-0042"
    assert decoded["sent"] == "2026-12-04T03:15:27-00:00"
    infos = decoded["info"]
    assert [i["headline"] for i in infos] == [
        "Công an phường Cửa Ông: tình hình ma túy tháng 12",
        "Cua Ong ward police: drug situation",
    ]
    assert infos[0]["area"][0]["areaDesc"] == "Khu 3, phường Cửa Ông"
    assert infos[0]["area"][0]["circle"] == ["21.025,107.355 1.5"]


def test_the_atom_feed_is_read_by_a_feed_reader() -> None:
    first, second = _alert(), _alert(identifier="safeward-qn-cuaong-2026-0043")
    entries = [
        FeedEntry(
            first,
            "https://safeward.example/bulletins/42/cap.xml",
            "https://safeward.example/bulletins/42/",
            "vi-VN",
        ),
        FeedEntry(second, "https://safeward.example/bulletins/43/cap.xml", language="en-US"),
    ]
    feed = atom_feed(
        entries,
        feed_url="https://safeward.example/bulletins/feed.atom",
        title="Bản tin công khai",
        updated=SENT,
        author="SafeWard",
    )
    read = feedparser.parse(feed)
    assert not read.bozo, read.bozo_exception
    assert read.version == "atom10"
    assert read.feed.title == "Bản tin công khai"
    assert [e.title for e in read.entries] == [
        "Công an phường Cửa Ông: tình hình ma túy tháng 12",
        "Cua Ong ward police: drug situation",
    ]
    cap_links = [
        link.href for e in read.entries for link in e.links if link.type == "application/cap+xml"
    ]
    assert cap_links == [e.cap_url for e in entries]
    assert read.entries[0].summary.startswith("Xuất hiện đối tượng lạ")
