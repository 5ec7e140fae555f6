"""The in-app help: every role's section in every language, the reader's own roles first,
pages' Help links landing on a task that exists, and every name it quotes found in the
interface (so the help cannot drift from the menu and the pages)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from safeward.accounts.roles import BUILTIN_ROLES
from safeward.core.testing import PERSONA_NAMES
from safeward.web.help import SECTIONS, Ref, anchors
from safeward.web.navigation import menu_path
from safeward.web.public import public_label
from tests.community import factories as community

SRC = Path(__file__).resolve().parents[2] / "src" / "safeward"
LANGUAGES = ("vi", "en", "ar")


class _Ids(HTMLParser):
    """Element ids, the help sections (``details``) in order with their ``open`` state,
    the ordered lists' items, and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.sections: list[tuple[str, bool]] = []
        self.links: list[str] = []
        self.steps: dict[str, int] = {}
        self._task = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "details" and "helpsection" in (a.get("class") or ""):
            self.sections.append((a["id"] or "", "open" in a))
        if tag == "section" and "helptask" in (a.get("class") or ""):
            self._task = a["id"] or ""
            self.steps[self._task] = 0
        if tag == "li" and self._task:
            self.steps[self._task] += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._task = ""


def _parse(html: bytes) -> _Ids:
    parser = _Ids()
    parser.feed(html.decode())
    return parser


def _help(client: Client, lang: str) -> Any:
    response = client.get(reverse("web:help"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200 and b'class="card helpsection"' in response.content
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_role_section_renders_with_its_steps(lang: str) -> None:
    response = _help(Client(), lang)
    page = _parse(response.content)
    assert [anchor for anchor, _open in page.sections] == [s.anchor for s in SECTIONS]
    for section in SECTIONS:
        assert section.tasks, section.anchor
        for task in section.tasks:
            assert page.steps[task.anchor] == len(task.steps), task.anchor
    # A role of the product without a section would leave its users with no help.
    covered = {role for s in SECTIONS for role in s.roles}
    assert covered == {r.code for r in BUILTIN_ROLES}
    body = response.content.decode()
    assert "{" not in re.sub(
        r"<script.*?</script>|<meta[^>]*>|hx-headers='[^']*'", "", body, flags=re.S
    )


@pytest.mark.parametrize("lang", ["vi", "ar"])
def test_no_english_is_left_in_the_translated_help(lang: str) -> None:
    def texts() -> list[str]:
        out = []
        for s in SECTIONS:
            out += [str(s.title), str(s.intro)]
            for t in s.tasks:
                out += [str(t.title), *(str(x.text) for x in t.steps)]
        return out

    with translation.override("en"):
        english = texts()
    with translation.override(lang):
        translated = texts()
    same = [e for e, t in zip(english, translated, strict=True) if e == t]
    assert not same, same


@pytest.mark.django_db
def test_a_visitor_reads_the_residents_sections_open_first() -> None:
    page = _parse(_help(Client(), "vi").content)
    assert page.sections[:2] == [("resident", True), ("custodian", True)]
    assert not any(is_open for _anchor, is_open in page.sections[2:])


@pytest.mark.parametrize(
    ("persona", "own"),
    [
        ("ward_officer", ["staff", "ward-police"]),
        ("group_leader", ["staff", "group-leader"]),
        ("front_member", ["staff", "front-member"]),
        ("city_officer", ["staff", "ward-police", "leadership"]),
        ("province_admin", ["staff", "leadership", "admin"]),
        ("analyst", ["staff", "leadership"]),
        ("mentor", ["staff", "mentor"]),
        ("resident", ["resident"]),
        ("outsider", []),
    ],
)
def test_signed_in_users_see_their_roles_first_and_the_rest_collapsed(
    client_for: Any, persona: str, own: list[str]
) -> None:
    page = _parse(_help(client_for(persona), "en").content)
    assert page.sections[: len(own)] == [(anchor, True) for anchor in own]
    assert [is_open for _anchor, is_open in page.sections[len(own) :]] == [False] * (
        len(SECTIONS) - len(own)
    )


def _pages(personas: dict[str, Any], demo_units: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(persona or "" for a visitor, url, the anchor its Help link must point at)."""
    from safeward.reports.services import category_by_code, report_submit

    unit = demo_units["cua_ong"]
    submission = report_submit(
        None,
        category=category_by_code("theft"),
        description="Mất xe máy trước cửa nhà",
        channel="web",
        latitude=unit.centroid_lat,
        longitude=unit.centroid_lon,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    )
    group = community.led_group(demo_units["cam_thinh_khu1_2025"])
    return [
        ("", reverse("reports:submit"), "report"),
        ("", reverse("reports:track"), "track"),
        ("", reverse("reports:track_detail", args=[submission.report.tracking_code]), "track"),
        ("ward_officer", reverse("reports:detail", args=[submission.report.pk]), "triage"),
        ("ward_officer", reverse("web:home"), "work-queue"),
        ("group_leader", reverse("community:patrol_add", args=[group.pk]), "patrol"),
        ("province_admin", reverse("analytics:dashboard"), "dashboard"),
    ]


def test_every_contextual_help_link_lands_on_a_task_of_the_help_page(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    on_help = _parse(_help(Client(), "en").content).ids
    assert anchors() <= on_help
    help_url = reverse("web:help")
    for persona, url, anchor in _pages(personas, demo_units):
        client = client_for(persona) if persona else Client()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi", follow=True)
        links = [h for h in _parse(response.content).links if h.startswith(help_url)]
        assert response.status_code == 200 and help_url in links, (
            f"{url}: no Help link in the top bar"
        )
        contextual = [h.split("#", 1)[1] for h in links if "#" in h]
        assert contextual == [anchor], (url, contextual)
        assert anchor in on_help


def _quoted_in_the_interface(msgid: str) -> bool:
    """Whether a page, form or app module (not the help itself) shows this message."""
    needle = re.compile(r"[\"']" + re.escape(msgid) + r"[\"']")
    for path in SRC.rglob("*"):
        if (
            path.suffix not in {".html", ".py"}
            or path.name == "help.py"
            or "migrations" in path.parts
        ):
            continue
        if needle.search(path.read_text(encoding="utf-8")):
            return True
    return False


def test_every_name_the_help_quotes_exists_in_the_interface() -> None:
    refs: set[Ref] = {ref for s in SECTIONS for ref in s.refs()}
    for ref in refs:
        if ref.kind == "menu":
            assert menu_path(ref.key), ref
        elif ref.kind == "link":
            assert public_label(ref.key), ref
        else:
            assert ref.kind == "ui", ref
            assert _quoted_in_the_interface(ref.key), f"{ref.key!r} is shown on no page"
            for lang in ("vi", "ar"):
                with translation.override(lang):
                    assert ref.text() != ref.key, f"{ref.key!r} has no {lang} translation"


@pytest.mark.parametrize("persona", [p for p in PERSONA_NAMES if p != "outsider"])
def test_menu_names_in_a_readers_own_sections_are_in_their_menu(
    client_for: Any, persona: str
) -> None:
    client = client_for(persona)
    for lang in LANGUAGES:
        response = client.get(reverse("web:help"), HTTP_ACCEPT_LANGUAGE=lang)
        labels: set[str] = set()
        for entry in response.context["nav_items"] or []:
            labels.add(str(entry["label"]))
            labels |= {str(link["label"]) for link in entry.get("links", [])}
        own = [
            s for s in SECTIONS if {a.role.code for a in client_for_user(persona)} & set(s.roles)
        ]
        with translation.override(lang):
            for section in own:
                for ref in section.refs():
                    # The entry itself (its section is a plain link when it has one entry).
                    if ref.kind == "menu":
                        label = str(menu_path(ref.key)[-1])
                        assert label in labels, (persona, lang, section.anchor, ref.key)


def client_for_user(persona: str) -> list[Any]:
    from safeward.accounts.models import User

    return list(User.objects.get(username=persona).active_assignments())
