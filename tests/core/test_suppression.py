"""Small-count suppression: nothing from 1 to 4 is published or derivable by one subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from safeward.core.suppression import SuppressedTable, suppress_count, suppress_table

COUNTS = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def tables(draw: st.DrawFn) -> list[list[int]]:
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(1, 6))
    return [[draw(COUNTS) for _c in range(cols)] for _r in range(rows)]


def _lines(
    grid: list[list[int]], out: SuppressedTable, total: bool
) -> list[tuple[list[tuple[int, int | None]], tuple[int, int | None] | None]]:
    """Each published relation as ([(true value, shown value)], (true total, shown total))."""
    rows, cols = len(grid), len(grid[0])
    lines = []
    row_sums = [sum(r) for r in grid]
    col_sums = [sum(grid[r][c] for r in range(rows)) for c in range(cols)]
    grand = sum(row_sums)
    g = (grand, out.total) if total else None
    if out.row_totals is not None:
        for r in range(rows):
            cells = list(zip(grid[r], out.cells[r], strict=True))
            lines.append((cells, (row_sums[r], out.row_totals[r])))
        lines.append((list(zip(row_sums, out.row_totals, strict=True)), g))
    if out.column_totals is not None:
        for c in range(cols):
            cells = [(grid[r][c], out.cells[r][c]) for r in range(rows)]
            lines.append((cells, (col_sums[c], out.column_totals[c])))
        lines.append((list(zip(col_sums, out.column_totals, strict=True)), g))
    if out.row_totals is None and out.column_totals is None:
        every = [(grid[r][c], out.cells[r][c]) for r in range(rows) for c in range(cols)]
        lines.append((every, g))
    return lines


def _all_shown(out: SuppressedTable) -> list[int]:
    shown = [v for row in out.cells for v in row]
    shown += [*(out.row_totals or []), *(out.column_totals or []), out.total]
    return [v for v in shown if v is not None]


@settings(max_examples=400, deadline=None)
@given(tables(), st.booleans(), st.booleans(), st.booleans())
def test_every_shown_count_is_zero_or_at_least_five(
    grid: list[list[int]], rows: bool, columns: bool, total: bool
) -> None:
    out = suppress_table(grid, row_totals=rows, column_totals=columns, total=total)
    assert all(v == 0 or v >= 5 for v in _all_shown(out))


@settings(max_examples=400, deadline=None)
@given(tables(), st.booleans(), st.booleans(), st.booleans())
def test_no_hidden_cell_follows_from_a_total_by_one_subtraction(
    grid: list[list[int]], rows: bool, columns: bool, total: bool
) -> None:
    out = suppress_table(grid, row_totals=rows, column_totals=columns, total=total)
    for cells, line_total in _lines(grid, out, total):
        if line_total is None:
            continue
        hidden = [true for true, shown in [*cells, line_total] if shown is None]
        assert len(hidden) != 1, (grid, out)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_shown_cells_keep_their_true_value(grid: list[list[int]]) -> None:
    out = suppress_table(grid, row_totals=True, column_totals=True, total=True)
    for true_row, shown_row in zip(grid, out.cells, strict=True):
        for true, shown in zip(true_row, shown_row, strict=True):
            assert shown is None or shown == true


def test_a_single_small_cell_takes_the_next_smallest_with_it() -> None:
    out = suppress_table([[1, 7, 9]], row_totals=True)
    assert out.cells == [[None, None, 9]] and out.row_totals == [17]


def test_a_small_cell_beside_zeros_hides_the_total() -> None:
    out = suppress_table([[3, 0], [6, 6]], row_totals=True, column_totals=True, total=True)
    assert out.cells[0][0] is None
    assert out.row_totals is not None and out.row_totals[0] is None


def test_zero_is_published() -> None:
    out = suppress_table([[0, 8], [5, 0]], row_totals=True, column_totals=True, total=True)
    assert out.cells == [[0, 8], [5, 0]] and out.total == 13


def test_a_lone_count_is_hidden_from_one_to_four() -> None:
    assert [suppress_count(v) for v in (0, 1, 4, 5, None)] == [0, None, None, 5, None]
