"""The class types: two classes with one output score, and 3 to 8 classes with a score each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.features import PLANE_FEATURES
from playground.core.limits import ACCEPTED
from playground.core.problems.base import PlaneProblem, SplitMetrics, class_metrics
from playground.core.shading import class_levels, grid_levels

# of the several-classes type: from 3 (2 is the two-class type) to Okabe-Ito's 8 colours
MIN_CLASSES, MAX_CLASSES = (int(n) for n in ACCEPTED.classes)


class TwoClasses(PlaneProblem):
    """Labels 0 (orange) and 1 (blue), one output score; class 1 where the score is above 0.

    Squared error and hinge train on targets -1/+1 (the score itself); cross-entropy on 0/1,
    the score being the logit of the probability of class 1.
    """

    kind = "binary"
    name = "two classes"
    n_classes = 2
    output_size = 1
    losses = ("mse", "hinge", "bce")
    features = PLANE_FEATURES

    def targets(self, truth: np.ndarray, loss: str) -> np.ndarray:
        """{0, 1} for bce, {-1, +1} otherwise."""
        labels = np.asarray(truth, dtype=np.float64)
        return labels if loss == "bce" else 2.0 * labels - 1.0

    def predict(self, outputs: np.ndarray) -> np.ndarray:
        """The predicted class (N,): 1 where the score is above 0."""
        return (outputs[:, 0] > 0).astype(np.int64)

    def accuracy(self, outputs: np.ndarray, labels: np.ndarray) -> float:
        """Share of points with score > 0 exactly where the label is 1."""
        return float(np.count_nonzero(self.predict(outputs) == labels) / len(labels))

    def metrics(self, mean_loss: float, outputs: np.ndarray, truth: np.ndarray) -> SplitMetrics:
        """Accuracy, per-class accuracy and the 2 x 2 confusion matrix."""
        return class_metrics(mean_loss, self.predict(outputs), np.asarray(truth, dtype=np.int64),
                             2)

    def shade(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """The output score (..., 1) in [-1, 1]: tanh of it; for bce the sigmoid of the logit
        stretched to [-1, 1], tanh(s/2). In the outputs' dtype."""
        scale = outputs.dtype.type(0.5 if loss == "bce" else 1.0)
        return np.tanh(outputs[..., 0] * scale)

    def levels(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """The shade's levels, orange (0) to blue (255)."""
        return grid_levels(self.shade(outputs, loss))

    def output_shades(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """The score (1, B) shaded as the heatmap shades it."""
        return self.shade(outputs.T, loss)[None, :]


@dataclass(frozen=True, repr=False)
class SeveralClasses(PlaneProblem):
    """Labels 0 to k - 1, one score per class; the predicted class has the highest score.

    Both losses take the label itself as the target: softmax cross-entropy reads the scores as
    logits of the class probabilities, the multi-class hinge wants the right class's score
    ahead of every other by a margin of 1.
    """

    n_classes: int = 3

    kind = "classes"
    losses = ("cross_entropy", "multiclass_hinge")
    features = PLANE_FEATURES

    def __post_init__(self) -> None:
        if not MIN_CLASSES <= self.n_classes <= MAX_CLASSES:
            raise ValueError(f"several classes means {MIN_CLASSES} to {MAX_CLASSES}, "
                             f"got {self.n_classes!r}")

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.n_classes} classes"

    @property
    def output_size(self) -> int:  # type: ignore[override]
        return self.n_classes

    def targets(self, truth: np.ndarray, loss: str) -> np.ndarray:
        """The class indices, int64."""
        return np.asarray(truth, dtype=np.int64)

    def predict(self, outputs: np.ndarray) -> np.ndarray:
        """The predicted class (N,): the one with the highest score."""
        return np.argmax(outputs, axis=1)

    def metrics(self, mean_loss: float, outputs: np.ndarray, truth: np.ndarray) -> SplitMetrics:
        """Accuracy, per-class accuracy and the k x k confusion matrix."""
        return class_metrics(mean_loss, self.predict(outputs), np.asarray(truth, dtype=np.int64),
                             self.n_classes)

    def levels(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """The predicted class, lighter where the network is less sure (shading.class_levels)."""
        return class_levels(outputs)

    def output_shades(self, outputs: np.ndarray, loss: str) -> np.ndarray:
        """Each class's softmax probability (k, B) stretched to [-1, 1]: +1 where the network
        is sure of that class, -1 where sure it is another."""
        shifted = outputs - np.max(outputs, axis=0, keepdims=True)  # (k, B), largest 0
        odds = np.exp(shifted)
        return odds * (2 / np.add.reduce(odds, axis=0, keepdims=True)) - 1


TWO_CLASSES = TwoClasses()
