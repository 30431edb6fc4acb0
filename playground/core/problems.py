"""The problem's conventions, in one place: targets from labels, the output, losses, metrics.

The session trains with them, the graph inspector draws one point's loss with them, and the
command line's report and the benchmarks compute with them, so they cannot drift apart. Today
there is one problem, two classes; more kinds (several classes, regression) implement Problem.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from engine.losses import LOSSES
from engine.tensor import Tensor


class Problem(ABC):
    """What a kind of learning problem fixes: targets, output size, loss choices, metrics."""

    name: str  # what the user reads, e.g. "two classes"
    output_size: int  # the network's outputs
    losses: tuple[str, ...]  # names in engine.losses.LOSSES that fit, the default first

    @abstractmethod
    def targets(self, labels: np.ndarray, loss: str) -> np.ndarray:
        """Labels (N,) as the loss wants them, float64."""

    @abstractmethod
    def accuracy(self, scores: np.ndarray, labels: np.ndarray) -> float:
        """Share of the points (N,) whose scores (N,) put them on the right side, 0 to 1."""

    @abstractmethod
    def shade(self, scores: np.ndarray, loss: str) -> np.ndarray:
        """The output (N,) as the heatmap shows it, in [-1, 1], in the scores' dtype."""

    def loss(self, scores: np.ndarray, targets: np.ndarray, loss: str) -> float:
        """The mean loss of scores (N,) against targets (N,), computed without a graph."""
        return float(LOSSES[loss](Tensor(scores), targets).data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class TwoClasses(Problem):
    """Labels 0 (orange) and 1 (blue), one output score; class 1 where the score is above 0.

    Squared error and hinge train on targets -1/+1 (the score itself); cross-entropy on 0/1,
    the score being the logit of the probability of class 1.
    """

    name = "two classes"
    output_size = 1
    losses = ("mse", "hinge", "bce")

    def targets(self, labels: np.ndarray, loss: str) -> np.ndarray:
        """{0, 1} for bce, {-1, +1} otherwise."""
        labels = np.asarray(labels, dtype=np.float64)
        return labels if loss == "bce" else 2.0 * labels - 1.0

    def accuracy(self, scores: np.ndarray, labels: np.ndarray) -> float:
        """Share of points with score > 0 exactly where the label is 1."""
        return float(np.count_nonzero((scores > 0) == (labels == 1)) / len(labels))

    def shade(self, scores: np.ndarray, loss: str) -> np.ndarray:
        """tanh of the score; for bce the sigmoid of the logit stretched to [-1, 1], tanh(s/2)."""
        scale = scores.dtype.type(0.5 if loss == "bce" else 1.0)
        return np.tanh(scores * scale)


TWO_CLASSES = TwoClasses()
