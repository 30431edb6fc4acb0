"""The decision grid as colour levels: what the heatmap's colour table is indexed by."""

from __future__ import annotations

import numpy as np

NEUTRAL_LEVEL = 127  # the level of output 0 (127.5 rounded down), also where it is not finite


def grid_levels(grid: np.ndarray) -> np.ndarray:
    """Outputs in [-1, 1] as uint8 levels 0 (-1) to 255 (+1); NaN (huge weights) is neutral.

    The rows come out in an image's order: decision_grid's row 0 is ymin, the levels' is ymax
    (a stack of grids (n, res, res), one per neuron, is flipped grid by grid).

    Made by the training thread, so the window only hands the levels to Qt: each NumPy call
    on a 100x100 grid would make the window wait for the training thread's interpreter lock.
    """
    scaled = grid[..., ::-1, :] + np.float32(1.0)  # (res, res) top first, a new array
    scaled *= np.float32(127.5)
    np.clip(scaled, 0, 255, out=scaled)  # +-inf too; one pass where nan_to_num takes three
    scaled[np.isnan(scaled)] = NEUTRAL_LEVEL
    return scaled.astype(np.uint8)
