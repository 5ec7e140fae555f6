"""A fixed grid over the globe, coarse enough that a camera's view never leaves the 3x3 block
around its own cell: the lookup reads only nine indexed cell ids, then checks exactly."""

from __future__ import annotations

import math

# 0.005 degrees is about 555 m north-south and, at Vietnam's northern tip (23.4 N), 510 m
# east-west: more than MAX_RANGE_M everywhere in the country.
CELL_DEG = 0.005
MAX_RANGE_M = 500
_COLS = 1_000_000


def grid_cell(lat: float, lon: float) -> int:
    """The id of the cell holding the point."""
    row = math.floor((lat + 90.0) / CELL_DEG)
    col = math.floor((lon + 180.0) / CELL_DEG)
    return row * _COLS + col


def neighbour_cells(lat: float, lon: float) -> list[int]:
    """The cell of the point and its eight neighbours."""
    centre = grid_cell(lat, lon)
    return [centre + dr * _COLS + dc for dr in (-1, 0, 1) for dc in (-1, 0, 1)]
