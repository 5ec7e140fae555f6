"""Every app's Vietnamese and Arabic catalogues are complete and compiled.

A fuzzy or empty translation falls back to English on screen, and a stale
``.mo`` file shows yesterday's wording, so each is a failure here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "safeward"
CATALOGUES = sorted(
    p for lang in ("vi", "ar") for p in SRC.glob(f"*/locale/{lang}/LC_MESSAGES/django.po")
)
ENTRY = re.compile(r'^msgid "(.*)"\n((?:".*"\n)*)msgstr "(.*)"\n((?:".*"\n)*)', re.M)


def _name(path: Path) -> str:
    return f"{path.parents[3].name}-{path.parents[1].name}"


def test_every_app_has_catalogues() -> None:
    apps = {p.parents[3].name for p in CATALOGUES}
    assert {"core", "reports", "cameras", "evidence", "analytics", "community"} <= apps


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_no_fuzzy_or_empty_translation(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], f"{po}: fuzzy entries"
    empty = [
        m.group(1) + "".join(re.findall(r'"(.*)"', m.group(2)))
        for m in ENTRY.finditer(text)
        if (m.group(1) or m.group(2)) and not m.group(3) and not m.group(4)
    ]
    assert not empty, f"{po}: untranslated {empty[:5]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_compiled_catalogue_is_current(po: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-c", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == po.with_suffix(".mo").read_bytes(), f"{po}: run msgfmt"


@pytest.mark.parametrize("lang", ["vi", "ar"])
def test_every_message_is_shown_as_its_catalogue_words_it(lang: str) -> None:
    """One wording per message: Django merges every catalogue and shows one translation
    of each message, so an app whose catalogue words it otherwise (or a Django catalogue
    that wins over ours) shows words nobody chose. Fix by aligning the catalogues, a
    context for a message of two meanings, or listing it in ``safeward.config.terms``."""
    import polib
    from django.utils import translation

    differing = []
    with translation.override(lang):
        for po in sorted(SRC.glob(f"*/locale/{lang}/LC_MESSAGES/django.po")):
            for entry in polib.pofile(str(po)):
                if entry.obsolete or entry.msgid_plural or not entry.msgstr:
                    continue
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if shown != entry.msgstr:
                    differing.append((po.parents[3].name, entry.msgid, entry.msgstr, shown))
    assert not differing, f"{len(differing)} messages shown otherwise: {differing[:10]}"
