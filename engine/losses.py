"""Losses and penalties, written once for both engines.

``scores`` is either a list of ``Value`` (one per sample; for softmax, a list of rows) or a
``Tensor`` of shape (N,) (for softmax, (N, C)). Each loss states its per-sample math once for
Values, differentiated by the scalar engine; a Tensor takes the fast path next to it, the same
math on arrays with its derivative written out, as one graph node for the whole batch (the
tests check both against each other).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.activations import sigmoid, softplus
from engine.fused import LossTerms, mean_loss, sum_of_squares
from engine.tensor import Tensor
from engine.value import Value

Scores = Any  # list[Value] or Tensor


def _is_scalar_list(scores: Scores) -> bool:
    """True for a list of Values, False for a Tensor."""
    return isinstance(scores, (list, tuple))


def _mean_of_each(fn: Callable[[Value, float], Value], terms: LossTerms, scores: Scores,
                  targets: Sequence[float]) -> Any:
    """Mean over samples of the per-sample loss: fn on Values, terms on a Tensor's arrays."""
    if isinstance(scores, Tensor):
        y = np.asarray(targets, dtype=scores.data.dtype).reshape(scores.shape)  # like scores
        return mean_loss(scores, y, terms)
    if len(scores) != len(targets) or not scores:
        raise ValueError(f"{len(scores)} scores for {len(targets)} targets")
    return _mean([fn(s, float(y)) for s, y in zip(scores, targets, strict=True)])


def _mean(terms: list[Value]) -> Value:
    """Mean of Values as one node."""
    return Value.sum(terms) * (1.0 / len(terms))


def _hinge_terms(s: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """hinge's per-sample loss and its slope in s, on arrays."""
    margin = 1 - s * y
    return np.maximum(margin, 0), np.where(margin > 0, -y, 0)  # relu'(0) is 0, as in Value


def _bce_terms(s: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """binary_cross_entropy's per-sample loss and its slope in s, on arrays."""
    return softplus(s) - s * y, sigmoid(s) - y


def _squared_error_terms(s: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mse's per-sample loss and its slope in s, on arrays."""
    error = s - y
    return error * error, error + error  # not 2 * error: no Python number to convert


def hinge(scores: Scores, targets: Sequence[float]) -> Any:
    """Max-margin loss mean(relu(1 - y * score)) for labels y in {-1, +1} (micrograd's demo)."""
    return _mean_of_each(lambda s, y: (1 - s * y).relu(), _hinge_terms, scores, targets)


def binary_cross_entropy(scores: Scores, targets: Sequence[float]) -> Any:
    """Cross-entropy of sigmoid(score) against y in {0, 1}, from logits: softplus(s) - s*y."""
    return _mean_of_each(lambda s, y: s.softplus() - s * y, _bce_terms, scores, targets)


def mse(scores: Scores, targets: Sequence[float]) -> Any:
    """Mean squared error mean((score - y) ** 2)."""
    return _mean_of_each(lambda s, y: (s - y) ** 2, _squared_error_terms, scores, targets)


def softmax_cross_entropy(scores: Scores, targets: Sequence[int]) -> Any:
    """Mean of -log softmax(row)[target] over rows of class scores; targets are class indices."""
    if _is_scalar_list(scores):
        if len(scores) != len(targets) or not scores:
            raise ValueError(f"{len(scores)} score rows for {len(targets)} targets")
        terms = []
        for row, t in zip(scores, targets, strict=True):
            m = max(v.data for v in row)  # shifting by a constant keeps exp finite
            lse = Value.sum([(v - m).exp() for v in row]).log() + m
            terms.append(lse - row[int(t)])
        return _mean(terms)
    onehot = np.eye(scores.shape[1], dtype=scores.data.dtype)[np.asarray(targets, int)]  # (N, C)
    return (scores.logsumexp(axis=1) - (scores * onehot).sum(axis=1)).mean()


def l2(params: Sequence[Any]) -> Any:
    """Sum of squared parameters (weight decay); add alpha * l2(params) to a loss."""
    if params and isinstance(params[0], Value):
        return Value.weighted_sum(params, params)
    return sum_of_squares(params)


def l1(params: Sequence[Any]) -> Any:
    """Sum of absolute parameters (sparsity); add alpha * l1(params) to a loss."""
    if params and isinstance(params[0], Value):
        return Value.sum([p.abs() for p in params])
    return sum(p.abs().sum() for p in params)


LOSSES: dict[str, Callable[[Scores, Sequence[float]], Any]] = {
    "hinge": hinge,
    "bce": binary_cross_entropy,
    "mse": mse,
}


# each loss's per-sample terms, for the loss of every point on its own (a heavy point stands out)
PER_SAMPLE: dict[str, LossTerms] = {
    "hinge": _hinge_terms,
    "bce": _bce_terms,
    "mse": _squared_error_terms,
}


def per_sample_losses(name: str, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The loss of each sample (N,) on its own, for scores and targets (N,), with no graph."""
    return PER_SAMPLE[name](scores, targets)[0]
