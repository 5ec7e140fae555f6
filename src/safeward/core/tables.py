"""Tables for list pages, built on django-tables2.

Every list page declares one :class:`Table` in its app's ``tables.py``. The table
sorts by its columns (``?sort=``), remembers which columns the user chose to see
(per user and table, in the session), sums the columns that carry totals over every
filtered row (not only the page shown), and exports exactly what the list shows as
a CSV that spreadsheet formulas cannot hide in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import django_tables2 as tables
from django.db.models import Sum
from django.db.models.query import QuerySet
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.core.personal import PersonalFields, shown_to

PER_PAGE_MAX = 200
SESSION_KEY = "table_columns"
SELECT_COLUMN = "select"
BULK_FORM_ID = "bulk-form"


def select_column() -> tables.CheckBoxColumn:
    """The check box that chooses a row for a list's bulk actions (posted as ``pk``)."""
    return tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "input": {"name": "pk", "form": BULK_FORM_ID, "class": "rowpick"},
            # Each row's box is named by its row, so a screen reader says what is chosen.
            "td__input": {
                "name": "pk",
                "form": BULK_FORM_ID,
                "class": "rowpick",
                "aria-label": lambda record: _("Choose %(row)s") % {"row": record},
            },
            "th__input": {"class": "pickall", "aria-label": _("Choose every row on this page")},
            "td": {"class": "pick"},
            "th": {"class": "pick"},
        },
        orderable=False,
        exclude_from_export=True,
    )


class TotalColumn(tables.Column):  # type: ignore[misc]
    """A number column whose footer is the sum over every filtered row."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}
        )
        super().__init__(*args, footer=self._footer, **kwargs)

    @staticmethod
    def _footer(table: Table, column: Any, bound_column: Any) -> str:
        value = table.totals.get(bound_column.name)
        return number_format(value, force_grouping=True) if value is not None else ""

    def render(self, value: Any) -> str:
        return number_format(value, force_grouping=True)


class NumberColumn(tables.Column):  # type: ignore[misc]
    """A right-aligned number written with the language's digit grouping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any) -> str:
        return number_format(value, force_grouping=True)


class Table(tables.Table):  # type: ignore[misc]
    """The base of every list's table.

    ``Meta.required`` names the columns a user cannot hide (the row's name or link);
    every other column may be hidden in the column chooser.
    """

    required: ClassVar[tuple[str, ...]] = ()

    class Meta:
        template_name = "web/_table.html"
        attrs: ClassVar[dict[str, str]] = {"class": "table"}
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"
        empty_text = _("Nothing matches these filters.")

    def __init__(
        self, data: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        # Not handed to django-tables2: it would read page and sort from the request unchecked;
        # the list view sets them from checked values.
        super().__init__(data, *args, **kwargs)
        self.request = request
        self.totals: dict[str, Any] = {}
        self.chosen: list[str] = []

    @classmethod
    def key(cls) -> str:
        return f"{cls.__module__}.{cls.__name__}"

    def personal_shown(self, gate: PersonalFields, record: Any) -> bool:
        """Whether the user may see ``gate``'s fields on ``record``: decided once for the
        page shown, with one audited look; an export (no page) decides row by row."""
        user = getattr(self.request, "user", None)
        page = getattr(self, "page", None)
        if page is None:
            return gate.allows(user, record)
        shown: dict[PersonalFields, set[Any]] = self.__dict__.setdefault("_personal_shown", {})
        if gate not in shown:
            shown[gate] = shown_to(user, gate, [row.record for row in page.object_list])
        return record.pk in shown[gate]

    def total_columns(self) -> list[str]:
        return [
            name for name, column in self.base_columns.items() if isinstance(column, TotalColumn)
        ]

    def compute_totals(self, rows: QuerySet[Any]) -> None:
        names = self.total_columns()
        if names:
            # Aliased apart from the columns: a total named as the annotation it sums
            # (``raised=Sum(...)`` on the rows) would replace it and come out empty.
            sums = rows.aggregate(
                **{
                    f"total__{name}": Sum(self.base_columns[name].accessor or name)
                    for name in names
                }
            )
            self.totals = {name: sums[f"total__{name}"] for name in names}

    def optional_columns(self) -> list[tuple[str, str]]:
        """(name, header) of the columns the user may show or hide."""
        return [
            (column.name, str(column.header))
            for column in self.columns.iterall()
            if column.name not in self.required and column.name != SELECT_COLUMN
        ]

    def choose_columns(self, names: Iterable[str] | None) -> None:
        """Show only ``names`` of the optional columns (all of them when ``names`` is empty)."""
        allowed = {name for name, _header in self.optional_columns()}
        chosen = [name for name in names or [] if name in allowed]
        self.chosen = chosen
        if not chosen:
            return
        for name in allowed - set(chosen):
            self.columns.hide(name)

    def export_rows(self) -> Iterator[list[Any]]:
        """The header and every row of the visible columns, as plain values."""
        hidden = [column.name for column in self.columns.iterall() if not column.visible]
        for row in self.as_values(exclude_columns=hidden):
            yield list(row)


def unit_with_parent(unit: Any) -> Any:
    """A unit's name followed by its parent's in muted text, as a list's unit cell shows it."""
    parent = unit.parent
    if parent is None:
        return unit.name
    return format_html('{} <span class="muted">· {}</span>', unit.name, parent.name)


def saved_columns(request: HttpRequest, table_class: type[Table]) -> list[str]:
    saved = request.session.get(SESSION_KEY, {}) if hasattr(request, "session") else {}
    value = saved.get(table_class.key(), []) if isinstance(saved, dict) else []
    return [str(name) for name in value] if isinstance(value, list) else []


def save_columns(request: HttpRequest, table_class: type[Table], names: list[str]) -> None:
    saved = dict(request.session.get(SESSION_KEY, {}))
    saved[table_class.key()] = names
    request.session[SESSION_KEY] = saved


def bounded_int(value: Any, default: int, *, lowest: int = 1, highest: int | None = None) -> int:
    """``value`` as an int within bounds; ``default`` when it is not a plain number."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return default
    number = max(lowest, int(text))
    return min(number, highest) if highest else number
