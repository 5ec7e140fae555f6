"""Every message the product shows is translated, and no template text escapes translation.

- The catalogues are extracted again from the code and templates (``makemessages`` on a
  copy of the tree) and merged with the kept translations: in Vietnamese and Arabic no
  message may be left untranslated or only fuzzily matched. English is the source
  language, so its catalogue may repeat the message.
- Template text outside ``{% translate %}``/``{% blocktranslate %}`` is found with
  Django's own template lexer: a text run with a word in it, once markup, entities and
  variables are taken out, fails the test unless it is in ``NOT_LANGUAGE`` (names,
  codes and symbols that read the same in every language).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

SRC = Path(__file__).resolve().parents[2] / "src" / "safeward"
TRANSLATED = ("vi", "ar")
# Text that is the same in every language: the product's name, units, codes.
NOT_LANGUAGE = {
    "SafeWard",
    "CSV",
    "XLSX",
    "PDF",
    "API",
    "OpenAPI",
    "Open311",
    "CAP",
    "QR",
    "TOTP",
    "km",
    "m",
    "VND",
    "ID",
    "JSON",
    "Zalo",
    "SMS",
    "ReDoc",
    "Swagger",
    "SHA",
    "km²",
}
IDENTIFIER = re.compile(r"^[\w:]+(?:[._][\w:]+)+$")  # an example code: report.assign
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("messages") / "safeward"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "static"))
    manage = [sys.executable, str(SRC.parents[1] / "manage.py"), "makemessages"]
    args = ["-l", "vi", "-l", "ar", "--no-obsolete", "--no-location", "-i", "*/migrations/*"]
    subprocess.run([*manage, *args], cwd=copy, check=True, capture_output=True)
    return copy


def _msgids(po: Path, *flags: str) -> set[str]:
    out = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {m for m in re.findall(r'^msgid "(.*)"$', out, re.MULTILINE) if m}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(extracted: Path, lang: str) -> None:
    """A message counts as translated when any app's catalogue translates it (Django merges
    the catalogues); fuzzy matches made by the merge do not count."""
    pos = sorted(extracted.glob(f"*/locale/{lang}/LC_MESSAGES/django.po"))
    translated: set[str] = set()
    for po in pos:
        translated |= _msgids(po, "--translated", "--no-fuzzy")
    missing = sorted(f"{po.parts[-5]}: {m}" for po in pos for m in _msgids(po) - translated)
    assert not missing, f"{len(missing)} messages without a {lang} translation:\n" + "\n".join(
        missing[:80]
    )


ATTRIBUTE_TEXT = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')


def _loose_text(source: str) -> list[str]:
    """Text a user reads that no translation tag wraps (template tags become a mark)."""
    parts: list[str] = []
    depth = 0  # inside blocktranslate, comment or verbatim
    for token in Lexer(source).tokenize():
        if token.token_type is TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                depth += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment", "endverbatim"}:
                depth -= 1
            parts.append("\x00")
        elif token.token_type is TokenType.VAR:
            parts.append("\x00")
        elif token.token_type is TokenType.TEXT:
            parts.append(" " if depth else token.contents)
    text = "".join(parts)
    text = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", text, flags=re.S | re.I)
    runs = ATTRIBUTE_TEXT.findall(text)
    text = re.sub(r"<[^>]*>", "\n", text)
    runs += text.split("\n")
    found = []
    for run in runs:
        clean = re.sub(r"&[#\w]+;", " ", run).replace("\x00", " ")
        if IDENTIFIER.match(clean.strip()):
            continue
        if [w for w in WORD.findall(clean) if w not in NOT_LANGUAGE]:
            found.append(" ".join(clean.split())[:80])
    return found


def test_no_template_text_outside_translation() -> None:
    loose: list[str] = []
    for template in sorted(SRC.glob("*/templates/**/*.html")):
        rel = template.relative_to(SRC)
        loose += [f"{rel}: {text}" for text in _loose_text(template.read_text(encoding="utf-8"))]
    assert not loose, f"{len(loose)} untranslated template texts:\n" + "\n".join(loose[:80])
