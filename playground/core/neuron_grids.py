"""Every neuron's output over the plane as colour levels: the network view's thumbnails.

They come from the grid pass that makes the decision heatmap (TrainingSession.grid_outputs):
each neuron is one row of a matrix that pass computes anyway, so a thumbnail costs its shading
and its conversion to uint8, no forward pass of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from playground.core.shading import grid_levels

INPUT = "input"  # the column kind of the input features (the others: an activation's name)
# thumbnails read every other row and column of the grid: a quarter of the work, and still
# more cells than the network view's largest thumbnail has pixels
THUMBNAIL_STRIDE = 2
CURVE_POINTS = 50  # points of a function's thumbnail curve over x, as many as a heatmap's columns


def shade_neurons(values: np.ndarray, kind: str) -> np.ndarray:
    """Outputs (n, B) of one column as values in [-1, 1] for the colour scale.

    tanh is in [-1, 1] already and sigmoid in [0, 1]; an unbounded output (ReLU, a feature) is
    divided by its largest size over the plane, so each thumbnail shows its own shape.
    """
    if kind == "tanh":
        return values
    if kind == "sigmoid":
        return 2 * values - 1
    largest = np.max(np.abs(values), axis=1, keepdims=True)  # (n, 1)
    largest[~(largest > 0)] = 1  # a constant-zero (or NaN) row stays as it is
    return values / largest


def neuron_levels(outputs: Sequence[np.ndarray], kinds: Sequence[str], resolution: int,
                  shade_output: Callable[[np.ndarray], np.ndarray],
                  stride: int = THUMBNAIL_STRIDE) -> np.ndarray:
    """(n_nodes, res / stride, res / stride) uint8 levels, row 0 at ymax, of every column's
    neurons in order, over every stride-th row and column of the grid.

    outputs: the grid pass, the features (F, res*res) first, then every layer's output;
    kinds: per column before the output, INPUT or the layer's activation; shade_output: the
    problem's shading of the output column (n_out, B), as the main heatmap shows it.
    """
    def thin(values: np.ndarray) -> np.ndarray:  # (n, res*res) -> (n, B)
        grid = values.reshape(len(values), resolution, resolution)[:, ::stride, ::stride]
        return grid.reshape(len(values), -1)

    shaded = [shade_neurons(thin(values), kind)
              for values, kind in zip(outputs[:-1], kinds, strict=True)]
    shaded.append(shade_output(thin(outputs[-1])))
    side = len(range(0, resolution, stride))
    stack = np.concatenate(shaded).astype(np.float32, copy=False)  # (n_nodes, side * side)
    return grid_levels(stack.reshape(-1, side, side))


def neuron_curves(outputs: Sequence[np.ndarray], kinds: Sequence[str],
                  shade_output: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """(n_nodes, points) uint8 levels (0: -1, 255: +1) of every neuron's output over x, in the
    order of neuron_levels: a function's thumbnails are curves.

    outputs: a pass over x (TrainingSession.curve_outputs), the features (F, points) first.
    """
    shaded = [shade_neurons(values, kind)
              for values, kind in zip(outputs[:-1], kinds, strict=True)]
    shaded.append(shade_output(outputs[-1]))
    stack = np.concatenate(shaded).astype(np.float32, copy=False)  # (n_nodes, points)
    return grid_levels(stack[:, None, :])[:, 0, :]  # one-row grids: nothing to flip


def one_neuron_levels(outputs: Sequence[np.ndarray], kinds: Sequence[str], resolution: int,
                      shade_output: Callable[[np.ndarray], np.ndarray], column: int,
                      neuron: int) -> np.ndarray:
    """(res, res) uint8 levels of one neuron over the whole grid (the main plot shows it while
    the pointer is on that neuron); column 0 is the inputs."""
    values = outputs[column][neuron:neuron + 1]  # (1, res*res)
    last = column == len(outputs) - 1
    shaded = shade_output(values) if last else shade_neurons(values, kinds[column])
    return grid_levels(shaded.astype(np.float32, copy=False).reshape(resolution, resolution))
