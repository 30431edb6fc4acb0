"""Problem: what a problem type fixes (targets, outputs, losses, metrics, the heatmap's levels).

Arrays of network outputs are (N, output_size) everywhere, one row per sample; a sample's
"truth" is its class (the class types), its value (regression) or its y (a function of x).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from engine.losses import SAMPLE_LOSSES, per_sample_losses
from engine.value import Value

NAN = math.nan


class SplitMetrics(NamedTuple):  # made at every evaluation: a tuple is cheaper than a dataclass
    """How well the network does on one split; what does not apply to the problem stays nan."""

    loss: float = NAN  # the mean training loss
    accuracy: float = NAN  # the class types: share of points classified right, 0 to 1
    per_class_accuracy: tuple[float, ...] = ()  # ... per class (nan for a class with no point)
    confusion: tuple[tuple[int, ...], ...] = ()  # ... counts, rows: true class, columns: predicted
    r2: float = NAN  # regression and functions: coefficient of determination
    rmse: float = NAN  # ... root mean squared error


class Evaluation(NamedTuple):
    """The metrics of both splits at one evaluation (after a reset or an epoch)."""

    train: SplitMetrics
    test: SplitMetrics


EMPTY_EVALUATION = Evaluation(SplitMetrics(), SplitMetrics())


class Problem(ABC):
    """A problem type's conventions: how a truth becomes a target, the outputs, the losses."""

    kind: str  # "binary", "classes", "regression" or "function": the command line's names
    name: str  # what the user reads, e.g. "two classes"
    output_size: int  # the network's outputs
    losses: tuple[str, ...]  # names in engine.losses.LOSSES that fit, the default first
    features: tuple[str, ...]  # the input features that apply (features.FEATURES names)
    n_classes: int = 0  # classes told apart (0: the truth is a value)
    on_plane: bool = True  # False: a curve over x (a function), not a heatmap over the plane

    @property
    def default_loss(self) -> str:
        """The loss a new problem of this type trains with."""
        return self.losses[0]

    def check_loss(self, loss: str) -> None:
        """Raise ValueError unless loss fits this problem."""
        if loss not in self.losses:
            raise ValueError(f"the {loss} loss does not fit {self.name}; choose one of "
                             f"{', '.join(self.losses)}")

    @abstractmethod
    def targets(self, truth: np.ndarray, loss: str) -> np.ndarray:
        """What the loss compares the outputs with, one per sample (N,)."""

    def sample_target(self, truth: float, loss: str) -> Any:
        """One sample's target (a float, or a class index), as targets() makes it."""
        return self.targets(np.array([truth]), loss)[0].item()

    def loss(self, outputs: np.ndarray, targets: np.ndarray, loss: str) -> float:
        """The mean loss of outputs (N, output_size) against targets (N,), without a graph:
        the mean of engine.losses.per_sample_losses, as the loss's Tensor node computes it."""
        return mean_of(per_sample_losses(loss, outputs, targets))

    def sample_loss(self, outputs: Sequence[Value], target: Any, loss: str) -> Value:
        """One sample's loss as a Value graph from the network's output Values.

        target is this sample's entry of targets() (sample_target), or a Value holding it (a
        class index is a plain int). The same math as loss() on that one sample; it also runs
        on Tensors of one output per copy of the sample, elementwise.
        """
        if len(outputs) != self.output_size:
            raise ValueError(f"{self.name} needs {self.output_size} outputs, got {len(outputs)}")
        return SAMPLE_LOSSES[loss](outputs, target)

    def evaluate(self, outputs: np.ndarray, truth: np.ndarray, targets: np.ndarray,
                 loss: str) -> SplitMetrics:
        """The loss and the problem's metrics for outputs (N, output_size) on one split."""
        return self.metrics(self.loss(outputs, targets, loss), outputs, truth)

    @abstractmethod
    def metrics(self, mean_loss: float, outputs: np.ndarray, truth: np.ndarray) -> SplitMetrics:
        """The problem's metrics for outputs (N, output_size) against the truth (N,) of one
        split, whose mean loss is given (the session takes both splits' losses at once)."""

    def output_shades(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """Each output neuron's values (output_size, B) in [-1, 1], for its own thumbnail in
        the network view: here scaled by its largest size over the batch (a function's
        estimate of y has no fixed range)."""
        largest = np.max(np.abs(outputs), axis=1, keepdims=True)  # (output_size, 1)
        largest[~(largest > 0)] = 1  # a constant-zero (or NaN) row stays as it is
        return outputs / largest

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class PlaneProblem(Problem):
    """A problem over the plane, whose output the window shows as a heatmap under the points."""

    @abstractmethod
    def levels(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """Outputs over a grid (res, res, output_size), row 0 at ymin, as uint8 colour levels
        (res, res), row 0 at ymax (playground.core.shading)."""


def mean_of(losses: np.ndarray) -> float:
    """The mean of per-sample losses (N,), N > 0, as the loss's Tensor node computes it."""
    return float(np.add.reduce(losses, axis=None) * (1.0 / losses.size))


def confusion_matrix(predicted: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Counts (k, k): row the true class, column the predicted one."""
    return np.bincount(labels * k + predicted, minlength=k * k).reshape(k, k)


def class_metrics(loss: float, predicted: np.ndarray, labels: np.ndarray, k: int) -> SplitMetrics:
    """Accuracy, per-class accuracy and the confusion matrix of predicted classes (N,).

    In plain Python past the one count: at most 8 x 8 numbers, every epoch.
    """
    rows = confusion_matrix(predicted, labels, k).tolist()  # [true][predicted]
    right = [rows[i][i] for i in range(k)]
    totals = [sum(row) for row in rows]
    return SplitMetrics(loss=loss, accuracy=sum(right) / len(labels),
                        per_class_accuracy=tuple(r / t if t else NAN
                                                 for r, t in zip(right, totals, strict=True)),
                        confusion=tuple(map(tuple, rows)))


def fit_metrics(loss: float, predicted: np.ndarray, truth: np.ndarray) -> SplitMetrics:
    """R^2 and RMSE of predicted values (N,) against the truth (N,).

    R^2 is 1 - (squared error) / (squared deviation of the truth from its mean): 1 for a
    perfect fit, 0 for the mean's, below 0 for worse; nan when the truth does not vary. (An
    overflow on diverged weights warns; the session evaluates with those warnings off.)
    """
    error = float(np.mean((predicted - truth) ** 2))
    spread = float(np.mean((truth - truth.mean()) ** 2))
    r2 = 1.0 - error / spread if spread > 0 and math.isfinite(error) else NAN
    return SplitMetrics(loss=loss, r2=r2, rmse=math.sqrt(error) if error >= 0 else NAN)
