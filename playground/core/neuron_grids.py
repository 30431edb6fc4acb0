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
                  shade_output: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """(n_nodes, res, res) uint8 levels, row 0 at ymax, of every column's neurons in order.

    outputs: the grid pass, the features (F, res*res) first, then every layer's output;
    kinds: per column before the output, INPUT or the layer's activation; shade_output: the
    problem's shading of the output column (n_out, res*res), as the main heatmap shows it.
    """
    shaded = [shade_neurons(values, kind) for values, kind in zip(outputs[:-1], kinds,
                                                                  strict=True)]
    shaded.append(shade_output(outputs[-1]))
    stack = np.concatenate(shaded).astype(np.float32, copy=False)  # (n_nodes, res*res)
    return grid_levels(stack.reshape(-1, resolution, resolution))
