"""The value types: regression on the plane, and fitting a function of one variable."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.core.features import FUNCTION_FEATURES, PLANE_FEATURES
from playground.core.problems.base import PlaneProblem, Problem, SplitMetrics, fit_metrics
from playground.core.shading import grid_levels

VALUE_LOSSES = ("mse", "mae", "huber")  # squared error (the default), absolute error, Huber


def value_scale(values: np.ndarray) -> float:
    """The colour scale's half-width for these values: the largest |value| rounded up to 1, 2
    or 5 times a power of ten, at least 1 (TensorFlow Playground's values lie in [-1, 1])."""
    largest = float(np.max(np.abs(values))) if len(values) else 0.0
    if not largest > 1.0:  # also nan
        return 1.0
    power = 10.0 ** math.floor(math.log10(largest))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if largest <= m * power * (1 + 1e-12))


class _Fit(Problem):
    """One output that is the prediction itself; the truth is the target for every loss."""

    output_size = 1
    losses = VALUE_LOSSES

    def targets(self, truth: np.ndarray, loss: str) -> np.ndarray:
        """The values themselves, float64."""
        return np.asarray(truth, dtype=np.float64)

    def metrics(self, mean_loss: float, outputs: np.ndarray, truth: np.ndarray) -> SplitMetrics:
        """R^2 and RMSE."""
        return fit_metrics(mean_loss, outputs[:, 0], np.asarray(truth, dtype=np.float64))


@dataclass(frozen=True, repr=False)
class Regression(_Fit, PlaneProblem):
    """Each point of the plane carries a value; the heatmap shows the prediction on the
    points' diverging colour scale, -scale (orange) to +scale (blue)."""

    scale: float = 1.0  # value_scale of the data

    kind = "regression"
    name = "regression"
    features = PLANE_FEATURES

    def levels(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """The prediction over [-scale, scale] as levels 0 to 255 (beyond: clipped)."""
        return grid_levels(outputs[..., 0] * outputs.dtype.type(1.0 / self.scale))

    def output_shades(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """The prediction (1, B) on the heatmap's scale, clipped to [-1, 1]."""
        return np.clip(outputs * outputs.dtype.type(1.0 / self.scale), -1, 1)


class FunctionOfX(_Fit):
    """Samples (x, y) of y = f(x): the network's input is x, its output the estimate of y.

    Drawn as curves over x (shading.curve_levels), not as a heatmap over the plane.
    """

    kind = "function"
    name = "function of x"
    features = FUNCTION_FEATURES
    on_plane = False


FUNCTION_OF_X = FunctionOfX()
