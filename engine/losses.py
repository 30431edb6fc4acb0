"""Losses and penalties, written once for both engines.

``scores`` is either a list of ``Value`` (one per sample; for softmax, a list of rows) or a
``Tensor`` of shape (N,) (for softmax, (N, C)). Each loss states its per-sample math once; a
Tensor evaluates it for the whole batch in one go, a list sample by sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.tensor import sum_of_squares
from engine.value import Value

Scores = Any  # list[Value] or Tensor


def _is_scalar_list(scores: Scores) -> bool:
    """True for a list of Values, False for a Tensor."""
    return isinstance(scores, (list, tuple))


def _each(fn: Callable[[Any, Any], Any], scores: Scores, targets: Sequence[float]) -> Any:
    """Apply the per-sample loss fn to every (score, target) pair."""
    if _is_scalar_list(scores):
        if len(scores) != len(targets) or not scores:
            raise ValueError(f"{len(scores)} scores for {len(targets)} targets")
        return [fn(s, float(y)) for s, y in zip(scores, targets, strict=True)]
    y = np.asarray(targets, dtype=scores.data.dtype).reshape(scores.shape)  # same shape as scores
    return fn(scores, y)


def _mean(terms: Any) -> Any:
    """Mean over samples: one node for a list of Values, Tensor.mean() for a Tensor."""
    if _is_scalar_list(terms):
        return Value.sum(terms) * (1.0 / len(terms))
    return terms.mean()


def hinge(scores: Scores, targets: Sequence[float]) -> Any:
    """Max-margin loss mean(relu(1 - y * score)) for labels y in {-1, +1} (micrograd's demo)."""
    return _mean(_each(lambda s, y: (1 - s * y).relu(), scores, targets))


def binary_cross_entropy(scores: Scores, targets: Sequence[float]) -> Any:
    """Cross-entropy of sigmoid(score) against y in {0, 1}, from logits: softplus(s) - s*y."""
    return _mean(_each(lambda s, y: s.softplus() - s * y, scores, targets))


def mse(scores: Scores, targets: Sequence[float]) -> Any:
    """Mean squared error mean((score - y) ** 2)."""
    return _mean(_each(lambda s, y: (s - y) ** 2, scores, targets))


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
