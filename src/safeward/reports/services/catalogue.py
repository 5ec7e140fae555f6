"""Writes on the report catalogue: its texts in each language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_anywhere
from safeward.core.services import require_perm
from safeward.reports.models import CategoryAttribute, ServiceCategory

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
CATEGORY_TEXTS = ("name", "description", "group")


def _save(row: Any, *fields: str, extra: tuple[str, ...] = ()) -> None:
    """Save the texts in every language; the untranslated column keeps the Vietnamese one."""
    columns = [*fields, *(f"{field}_{lang}" for field in fields for lang in LANGUAGES), *extra]
    with override(LANGUAGES[0]):
        row.save(update_fields=columns)


def _set_texts(row: Any, field: str, texts: dict[str, str], required: str) -> dict[str, Any]:
    """Write ``field`` in each language given; the Vietnamese text, which every other language
    falls back to, may not be emptied. Returns the changes as ``{"field_lang": [old, new]}``."""
    changes: dict[str, Any] = {}
    for lang, text in texts.items():
        if lang not in LANGUAGES:
            continue
        new, old = text.strip(), getattr(row, f"{field}_{lang}") or ""
        if lang == LANGUAGES[0] and not new and required:
            raise DomainError(required, field=f"{field}_{lang}", code="required")
        size = row._meta.get_field(f"{field}_{lang}").max_length
        if size and len(new) > size:
            message = _("At most {n} characters.").format(n=size)
            raise DomainError(message, field=f"{field}_{lang}", code="too_long")
        if new != old:
            setattr(row, f"{field}_{lang}", new)
            changes[f"{field}_{lang}"] = [old, new]
    return changes


def _set_option_labels(
    question: CategoryAttribute, labels: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """Relabel the question's answers (``{key: {lang: label}}``); keys never change, so the
    answers already given keep their meaning. Vietnamese is kept in ``name``."""
    changes: dict[str, Any] = {}
    values = [dict(option) for option in question.values]
    for option in values:
        for lang, text in labels.get(str(option["key"]), {}).items():
            slot = "name" if lang == LANGUAGES[0] else f"name_{lang}"
            new, old = text.strip(), str(option.get(slot) or "")
            if lang not in LANGUAGES or new == old or (slot == "name" and not new):
                continue
            option[slot] = new
            changes[f"{option['key']}.{slot}"] = [old, new]
    if changes:
        question.values = values
    return changes


def _require_change(actor: Viewer, category: ServiceCategory) -> None:
    """The national catalogue (no jurisdiction) is reworded by whoever holds the right
    somewhere, a province's own categories only by that province's administrators."""
    perm = "reports.change_servicecategory"
    if category.jurisdiction is None:
        if not has_perm_anywhere(actor, perm):
            raise PermissionDenied(_("You may not do this here."))
        return
    require_perm(actor, perm, category.jurisdiction)


@transaction.atomic
def category_texts_change(
    actor: Viewer,
    category: ServiceCategory,
    *,
    texts: dict[str, dict[str, str]],
    questions: dict[str, dict[str, str]] | None = None,
    options: dict[str, dict[str, dict[str, str]]] | None = None,
) -> ServiceCategory:
    """Rewrite a category's name, description and group (``texts[field][lang]``), its
    questions' wording (``questions[code][lang]``) and their answers' labels
    (``options[code][key][lang]``). One audit event per changed category or question."""
    _require_change(actor, category)
    changes: dict[str, Any] = {}
    for field in CATEGORY_TEXTS:
        required = _("A name is required.") if field == "name" else ""
        changes |= _set_texts(category, field, texts.get(field, {}), required)
    if changes:
        _save(category, *CATEGORY_TEXTS)
        audit_record(actor, "category.texts", category, changes=changes)
    for question in category.attributes.all():
        _question_texts_change(actor, category, question, questions, options)
    return category


def _question_texts_change(
    actor: Viewer,
    category: ServiceCategory,
    question: CategoryAttribute,
    questions: dict[str, dict[str, str]] | None,
    options: dict[str, dict[str, dict[str, str]]] | None,
) -> None:
    wording = (questions or {}).get(question.code, {})
    changes = _set_texts(question, "description", wording, _("A question is required."))
    changes |= _set_option_labels(question, (options or {}).get(question.code, {}))
    if changes:
        _save(question, "description", extra=("values",))
        audit_record(
            actor, "category.question_texts", question, unit=category.jurisdiction, changes=changes
        )
