"""Bounds: an area of the plane in data coordinates, the one type for it everywhere."""

from __future__ import annotations

from typing import NamedTuple


class Bounds(NamedTuple):
    """The rectangle xmin <= x <= xmax, ymin <= y <= ymax (a tuple, so cheap to compare)."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float
