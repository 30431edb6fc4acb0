"""The hidden-layer space (ConvNetJS's 2D demo): the data and the plane's grid lines as one
hidden layer sees them, in the space of two of its neurons or of its first two principal
components.

The grid lines are rows and columns of the decision grid, so their activations come from the
grid pass the heatmap is made from; the points' from the pass over the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID_LINES = 11  # lines across the plane each way, edges included
# points the space shows at most: every k-th of a larger dataset, the same ones each frame.
# 100,000 wide antialiased dots took the window two seconds to paint; a few thousand show
# the warp as well
MAX_SHOWN = 4000


@dataclass(frozen=True)
class HiddenChoice:
    """Which hidden layer, and which two of its neurons (None: the first two principal
    components of its outputs over the data)."""

    layer: int  # hidden layer, 0 first
    neurons: tuple[int, int] | None = None


@dataclass(frozen=True)
class HiddenSpace:
    """The data and the grid lines carried into the chosen space."""

    choice: HiddenChoice
    points: np.ndarray  # (K, 2) float32, the training then the test points (K <= MAX_SHOWN)
    labels: np.ndarray  # (K,) int labels of the points
    is_test: np.ndarray  # (K,) bool
    lines: np.ndarray  # (2 * GRID_LINES, res, 2) float32: the rows of the plane, then columns
    axes: tuple[str, str]  # what each axis is, e.g. ("neuron 1", "neuron 3") or ("PC 1 (72%)", ...)


def grid_line_rows(resolution: int) -> np.ndarray:
    """Indices of the grid's rows (and columns) that the drawn grid lines follow."""
    return np.unique(np.linspace(0, resolution - 1, GRID_LINES).round().astype(int))


def grid_lines(layer_grid: np.ndarray, resolution: int) -> np.ndarray:
    """A layer's outputs (n, res*res) over the grid -> along its lines (n, 2 * L, res)."""
    grid = layer_grid.reshape(len(layer_grid), resolution, resolution)  # (n, y, x)
    rows = grid_line_rows(resolution)
    along_x = grid[:, rows, :]  # (n, L, res): lines of constant y
    along_y = grid[:, :, rows].transpose(0, 2, 1)  # (n, L, res): lines of constant x
    return np.concatenate([along_x, along_y], axis=1)


def principal_axes(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean (n,), the first two principal directions (2, n) of outputs (n, K), and the share
    of the variance each explains (2,). Each direction's largest entry is positive, so the
    picture does not flip from frame to frame."""
    n = len(data)
    mean = data.mean(axis=1)  # (n,)
    centred = (data - mean[:, None]).T  # (K, n)
    _, singular, directions = np.linalg.svd(centred, full_matrices=False)  # (k,), (k, n)
    directions = np.vstack([directions, np.zeros((2, n))])[:2]  # at least two, (2, n)
    largest = directions[np.arange(2), np.argmax(np.abs(directions), axis=1)]  # (2,)
    directions *= np.where(largest < 0, -1.0, 1.0)[:, None]
    variance = np.concatenate([singular**2, [0.0, 0.0]])[:2]
    total = float(np.sum(singular**2))
    return mean, directions, variance / total if total > 0 else variance


def shown_stride(n: int) -> int:
    """k such that every k-th of n points is at most MAX_SHOWN of them: those the space shows."""
    return max(1, -(-n // MAX_SHOWN))


def project(choice: HiddenChoice, data: np.ndarray, lines: np.ndarray, labels: np.ndarray,
            is_test: np.ndarray) -> HiddenSpace:
    """The space of choice from a layer's outputs over the data (n, N) and along the grid
    lines (n, 2L, res); of more than MAX_SHOWN points, every k-th (and their principal
    components): shown_stride's, which a caller may have taken already."""
    shown = slice(None, None, shown_stride(data.shape[1]))
    data, labels, is_test = data[:, shown], labels[shown], is_test[shown]  # (n, K), (K,), (K,)
    if choice.neurons is not None:
        a, b = choice.neurons
        points = np.stack([data[a], data[b]], axis=1)  # (K, 2)
        along = np.stack([lines[a], lines[b]], axis=-1)  # (2L, res, 2)
        axes = (f"neuron {a + 1}", f"neuron {b + 1}")
    else:  # of the data's outputs; with no points (a cleared plot), of the grid lines'
        mean, directions, shares = principal_axes(
            data if data.shape[1] else lines.reshape(len(lines), -1))
        points = (data.T - mean) @ directions.T  # (K, 2)
        along = np.einsum("nlr,kn->lrk", lines - mean[:, None, None], directions)  # (2L, res, 2)
        axes = tuple(f"PC {k + 1} ({100 * share:.0f}%)" for k, share in enumerate(shares))
    return HiddenSpace(choice, points.astype(np.float32), labels, is_test,
                       along.astype(np.float32), axes)
