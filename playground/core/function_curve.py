"""A function of x as the window draws it: the network's curve and the parts that sum to it.

The output is a weighted sum of the last hidden layer (of the input features when there is no
hidden layer) plus a bias: each input's weighted contribution, w_j * h_j(x), is a part; the
parts and the bias add up to the curve, which is how a person sees the sum being built.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.activations import find_activation
from engine.layers import Network
from playground.core.bounds import Bounds
from playground.core.features import feature_matrix
from playground.core.shading import curve_levels


def curve_and_parts(network: Network, features: Sequence[str],
                    x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The network's output (M,) at x (M,), each part (P, M) and each part's weight (P,)."""
    points = np.column_stack([x, np.zeros_like(x)])  # (M, 2): a function's input is x alone
    h = feature_matrix(points, features, np.float32).T  # (F, M)
    *hidden, output = network.layers
    for layer in hidden:
        z = layer.weight.data.T.astype(np.float32) @ h  # (fan_out, M)
        z += layer.bias.data.astype(np.float32)[:, None]
        h = find_activation(layer.activation).forward(z, z)  # in place: z is not needed again
    weights = output.weight.data[:, 0].astype(np.float32)  # (P,)
    parts = weights[:, None] * h  # (P, M)
    return np.add.reduce(parts, axis=0) + np.float32(output.bias.data[0]), parts, weights


def function_picture(network: Network, features: Sequence[str], bounds: Bounds,
                     resolution: int) -> np.ndarray:
    """Levels (res, res) of the curve over bounds with its parts (shading.curve_levels)."""
    x = np.linspace(bounds[0], bounds[1], resolution + 1)  # the columns' edges
    with np.errstate(over="ignore", invalid="ignore"):
        curve, parts, weights = curve_and_parts(network, features, x)
    return curve_levels(curve, parts, np.where(weights < 0, -1, 1), bounds, resolution)
