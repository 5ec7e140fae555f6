"""Small-count suppression for every published figure: one rule, one algorithm.

A count from 1 to ``SMALL_COUNT - 1`` could point at a person, so it is never
published (primary suppression); zero may be shown. A hidden cell in a line
whose total is shown could be recovered by one subtraction, so each line (a row
or a column and its total) is made to hold either no hidden member or at least
two (complementary suppression): the next smallest shown count of the line is
hidden too, or the total when nothing else can cover it. Hiding one cell may
leave another line with a single hidden member, so the pass repeats until every
line is safe.

Pages show a hidden figure as :data:`HIDDEN_MARK` and explain it with the
``web/_suppression_legend.html`` include.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = [
    "HIDDEN_MARK",
    "SMALL_COUNT",
    "Line",
    "SuppressedTable",
    "is_small",
    "suppress_cells",
    "suppress_count",
    "suppress_table",
]

SMALL_COUNT = 5
HIDDEN_MARK = "<5"

K = TypeVar("K", bound=Hashable)


def is_small(count: float) -> bool:
    """True for a count that must not be published (1 to 4; zero may be shown). A weighted
    count (history shared between merged units) is small anywhere above zero and below five."""
    return 0 < count < SMALL_COUNT


def suppress_count(count: float | None) -> int | None:
    """A lone published count (no total beside it): whole, or ``None`` when small."""
    if count is None or is_small(count):
        return None
    return round(count)


@dataclass(frozen=True)
class Line(Generic[K]):
    """Cells whose sum is published as ``total`` (``None``: the sum is not published)."""

    cells: tuple[K, ...]
    total: K | None = None

    def members(self) -> tuple[K, ...]:
        return self.cells if self.total is None else (*self.cells, self.total)


def _cover(line: Line[K], counts: dict[K, int], hidden: set[K]) -> K:
    """The member to hide beside a line's single hidden one: its smallest shown positive cell,
    else its total, else any shown cell."""
    shown = [k for k in line.cells if k not in hidden]
    positive = [k for k in shown if counts[k] > 0]
    if positive:
        return min(positive, key=lambda k: counts[k])
    if line.total is not None and line.total not in hidden:
        return line.total
    return shown[0]


def suppress_cells(counts: dict[K, int], lines: Iterable[Line[K]]) -> set[K]:
    """The keys of ``counts`` to hide: every small count, then complements until no line with
    a published relation has exactly one hidden member."""
    linked = [line for line in lines if line.total is not None and len(line.cells) > 0]
    hidden = {k for k, v in counts.items() if is_small(v)}
    changed = True
    while changed:
        changed = False
        for line in linked:
            members = line.members()
            if sum(1 for k in members if k in hidden) == 1:
                hidden.add(_cover(line, counts, hidden))
                changed = True
    return hidden


@dataclass(frozen=True)
class SuppressedTable:
    """A published table: ``None`` marks a hidden figure; totals as published."""

    cells: list[list[int | None]]
    row_totals: list[int | None] | None
    column_totals: list[int | None] | None
    total: int | None


def _lines(
    n_rows: int, n_cols: int, rows: bool, columns: bool, grand: bool
) -> list[Line[tuple[str, int, int]]]:
    cell = [[("c", r, c) for c in range(n_cols)] for r in range(n_rows)]
    row_keys = [("r", r, 0) for r in range(n_rows)]
    col_keys = [("k", 0, c) for c in range(n_cols)]
    g = ("g", 0, 0) if grand else None
    lines = []
    if rows:
        lines += [Line(tuple(cell[r]), row_keys[r]) for r in range(n_rows)]
        lines.append(Line(tuple(row_keys), g))
    if columns:
        lines += [
            Line(tuple(cell[r][c] for r in range(n_rows)), col_keys[c]) for c in range(n_cols)
        ]
        lines.append(Line(tuple(col_keys), g))
    if grand and not rows and not columns:
        lines.append(Line(tuple(k for row in cell for k in row), g))
    return lines


def suppress_table(
    cells: Sequence[Sequence[float]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    total: bool = False,
) -> SuppressedTable:
    """Publish a rows × columns table of counts with the totals asked for (computed here as
    the sums of the cells) so that no small count shows or can be derived from a total."""
    grid = [[round(v) for v in row] for row in cells]
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    if any(len(row) != n_cols for row in grid):
        raise ValueError("every row of a table has the same number of columns")
    counts: dict[tuple[str, int, int], int] = {
        ("c", r, c): grid[r][c] for r in range(n_rows) for c in range(n_cols)
    }
    counts |= {("r", r, 0): sum(grid[r]) for r in range(n_rows)}
    counts |= {("k", 0, c): sum(grid[r][c] for r in range(n_rows)) for c in range(n_cols)}
    counts[("g", 0, 0)] = sum(sum(row) for row in grid)
    if not row_totals:
        counts = {k: v for k, v in counts.items() if k[0] != "r"}
    if not column_totals:
        counts = {k: v for k, v in counts.items() if k[0] != "k"}
    if not total:
        counts.pop(("g", 0, 0))
    hidden = suppress_cells(counts, _lines(n_rows, n_cols, row_totals, column_totals, total))

    def out(key: tuple[str, int, int]) -> int | None:
        return None if key in hidden else counts[key]

    return SuppressedTable(
        cells=[[out(("c", r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[out(("r", r, 0)) for r in range(n_rows)] if row_totals else None,
        column_totals=[out(("k", 0, c)) for c in range(n_cols)] if column_totals else None,
        total=out(("g", 0, 0)) if total else None,
    )
