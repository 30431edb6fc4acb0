"""The network's output as uint8 colour levels: what the heatmap's colour table is indexed by.

Made by the training thread, so the window only hands the levels to Qt: each NumPy call on a
100x100 grid would make the window wait for the training thread's interpreter lock. Every
problem type has its own layout of the 256 levels, which its colour table in the window reads:

- one output in [-1, 1] (two classes, regression): level 0 is -1, 255 is +1 (grid_levels);
- k classes: class c's levels are c * L ... c * L + L - 1 (L = class_level_count(k)), from
  pale (undecided) to strong (sure) with the network's confidence; CLASS_NEUTRAL_LEVEL where
  not finite;
- a function of x: a picture of curves, a FAINT level for each neuron's part by the sign of its
  weight, CURVE_LEVELS for the network's curve, a ramp from faint to full pixel coverage.
"""

from __future__ import annotations

import numpy as np

from playground.core.bounds import Bounds

NEUTRAL_LEVEL = 127  # the level of output 0 (127.5 rounded down), also where it is not finite
CLASS_NEUTRAL_LEVEL = 255  # outside every class's levels: k * (255 // k) <= 255
BACKGROUND_LEVEL = 0  # a function's picture where no curve passes
FAINT_NEGATIVE_LEVEL = 1  # a neuron's part whose weight is negative
FAINT_POSITIVE_LEVEL = 2  # ... or positive
CURVE_LEVELS = (3, 255)  # first and last level of the network's curve, faint to full
CURVE_HALF_WIDTH = 1.0  # pixels either side of the network's curve's centre line
FAINT_HALF_WIDTH = 0.5  # ... and of each neuron's part


def grid_levels(grid: np.ndarray) -> np.ndarray:
    """Outputs in [-1, 1] as uint8 levels 0 (-1) to 255 (+1); NaN (huge weights) is neutral.

    The rows come out in an image's order: decision_grid's row 0 is ymin, the levels' is ymax
    (a stack of grids (n, res, res), one per neuron, is flipped grid by grid).
    """
    scaled = grid[..., ::-1, :] + np.float32(1.0)  # (res, res) top first, a new array
    scaled *= np.float32(127.5)
    np.clip(scaled, 0, 255, out=scaled)  # +-inf too; one pass where nan_to_num takes three
    scaled[np.isnan(scaled)] = NEUTRAL_LEVEL
    return scaled.astype(np.uint8)


def class_level_count(n_classes: int) -> int:
    """Levels per class, pale to strong: 255 // k, so level 255 is left for 'not finite'."""
    return 255 // n_classes


def class_levels(scores: np.ndarray) -> np.ndarray:
    """Class scores (res, res, k) as levels (res, res): the predicted class, its strength the
    softmax probability of that class, from 1/k (undecided, pale) to 1 (sure, strong).

    Rows in an image's order (row 0 at ymax), as grid_levels.
    """
    k = scores.shape[-1]
    per_class = class_level_count(k)
    # (k, res, res) top first: a view whose rows are contiguous when the scores came from a
    # pass that works on transposes (Network.layer_outputs), so each call below runs along them
    by_class = np.moveaxis(scores[::-1], -1, 0)
    largest = np.max(by_class, axis=0)  # (res, res)
    # the first class with the largest score (0 where the scores are nan), a class at a time:
    # argmax across k short rows costs a call per pixel
    predicted = np.zeros(largest.shape, np.intp)  # (res, res)
    for c in range(k - 1, -1, -1):
        predicted[by_class[c] == largest] = c
    shifted = by_class - largest  # (k, res, res), largest 0
    confidence = 1.0 / np.add.reduce(np.exp(shifted, out=shifted), axis=0)  # exp(0) / sum
    not_finite = ~np.isfinite(confidence)  # (res, res)
    strength = (confidence - 1.0 / k) * (k / (k - 1.0))  # (res, res) in [0, 1]
    strength[not_finite] = 0.0  # drawn neutral below
    steps = np.clip(strength * (per_class - 1) + 0.5, 0, per_class - 1)
    levels = (predicted * per_class + steps.astype(np.intp)).astype(np.uint8)
    levels[not_finite] = CLASS_NEUTRAL_LEVEL
    return levels


def curve_levels(curve: np.ndarray, parts: np.ndarray, part_signs: np.ndarray,
                 bounds: Bounds, resolution: int) -> np.ndarray:
    """A picture (res, res) of y = curve(x) over faint lines of its parts, row 0 at ymax.

    curve (res + 1,) and parts (P, res + 1) are y at the edges of the res columns spanning
    bounds, from xmin to xmax; part_signs (P,) are +1 or -1 (the sign of the part's weight).
    Each column is covered where the line between its two edges passes: the curve antialiased
    by the distance of a pixel's centre from that span, the parts as plain runs of pixels.
    """
    picture = np.full((resolution, resolution), BACKGROUND_LEVEL, dtype=np.uint8)
    for sign, level in ((-1, FAINT_NEGATIVE_LEVEL), (1, FAINT_POSITIVE_LEVEL)):
        mine = parts[part_signs == sign]
        if len(mine):
            picture[_runs(mine, bounds, resolution, FAINT_HALF_WIDTH)] = level
    coverage = _coverage(curve, bounds, resolution, CURVE_HALF_WIDTH)  # (res, res)
    on_curve = coverage > 0
    first, last = CURVE_LEVELS
    picture[on_curve] = np.maximum(np.rint(first - 1 + coverage[on_curve] * (last - first + 1)),
                                   first).astype(np.uint8)
    return picture


def _pixel_spans(y: np.ndarray, bounds: Bounds, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows (..., res) each column's segment spans, low and high (fractional), from y at
    the columns' edges (..., res + 1); far off the picture where y is not finite."""
    _, _, ymin, ymax = bounds
    with np.errstate(invalid="ignore", over="ignore"):
        rows = (ymax - y) * (resolution / (ymax - ymin)) - 0.5  # pixel row of each y
    rows = np.nan_to_num(rows, nan=-1e9, posinf=1e9, neginf=-1e9)
    return np.minimum(rows[..., :-1], rows[..., 1:]), np.maximum(rows[..., :-1], rows[..., 1:])


def _coverage(y: np.ndarray, bounds: Bounds, resolution: int, half_width: float) -> np.ndarray:
    """How much of each pixel (res, res), 0 to 1, the line through y (res + 1,) covers."""
    low, high = _pixel_spans(y, bounds, resolution)  # (res,) each
    r = np.arange(resolution, dtype=np.float64)[:, None]  # (res, 1)
    distance = np.maximum(np.maximum(low - r, r - high), 0.0)  # (res, res)
    return np.clip(half_width + 0.5 - distance, 0.0, 1.0)


def _runs(parts: np.ndarray, bounds: Bounds, resolution: int,
          half_width: float) -> np.ndarray:
    """(res, res) True where any of the lines through parts (P, res + 1) passes.

    One +1 where a column's run starts and a -1 after it ends, summed down the columns: one
    pass over the picture for every part at once.
    """
    low, high = _pixel_spans(parts, bounds, resolution)  # (P, res) each
    top = np.clip(np.rint(low - half_width), 0, resolution).astype(np.intp)
    bottom = np.clip(np.rint(high + half_width) + 1, 0, resolution).astype(np.intp)
    columns = np.broadcast_to(np.arange(resolution), top.shape)  # (P, res)
    marks = np.zeros((resolution + 1, resolution), dtype=np.int32)
    np.add.at(marks, (top, columns), 1)
    np.add.at(marks, (bottom, columns), -1)
    return np.cumsum(marks, axis=0)[:-1] > 0
