"""Losses and penalties, written once for both engines.

Each loss states one sample's math once (``SAMPLE_LOSSES``): from the network's outputs for
the sample (a list: one score, or one per class) and its target (a number, or a class index).
Written with ops that Value and Tensor share, it builds a Value graph, or runs elementwise on
Tensors that hold one score per copy of the sample. The batch losses are its mean: on a list
of Values differentiated by the scalar engine, or on a Tensor by the fast path next to it, the
same math on arrays with its derivative written out, as one graph node for the whole batch (the
tests check both against each other and against finite differences).

``scores`` is a list of ``Value`` (one per sample; for the class losses, a list of rows) or a
``Tensor`` of shape (N,) (for the class losses, (N, C)).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache, reduce
from operator import add
from typing import Any

import numpy as np

from engine.activations import sigmoid, softplus
from engine.fused import LossTerms, mean_loss, sum_of_squares
from engine.tensor import Tensor
from engine.tensor_grads import ones
from engine.value import Value

Scores = Any  # list[Value] or Tensor
Outputs = Sequence[Any]  # one sample's outputs: Values, or Tensors of one score per copy
HUBER_DELTA = 1.0  # where the Huber loss turns from squared to absolute error


def _total(terms: list[Any]) -> Any:
    """The sum of Values as one node, or of Tensors."""
    return Value.sum(terms) if isinstance(terms[0], Value) else reduce(add, terms)


def _largest(outputs: Outputs) -> Any:
    """The largest output, a constant (per copy for Tensors): subtracting it keeps exp finite."""
    data = [o.data for o in outputs]
    return max(data) if isinstance(outputs[0], Value) else np.maximum.reduce(data)


# ---- one sample's loss ------------------------------------------------------------------------

def _squared_error(outputs: Outputs, y: Any) -> Any:
    return (outputs[0] - y) ** 2


def _absolute_error(outputs: Outputs, y: Any) -> Any:
    return (outputs[0] - y).abs()


def _huber(outputs: Outputs, y: Any) -> Any:
    """Squared error near the target, absolute beyond HUBER_DELTA: min(|e|, d) with a relu."""
    size = (outputs[0] - y).abs()
    near = HUBER_DELTA - (HUBER_DELTA - size).relu()  # min(|e|, delta)
    return 0.5 * near**2 + HUBER_DELTA * (size - near)


def _hinge(outputs: Outputs, y: Any) -> Any:
    return (1 - outputs[0] * y).relu()


def _binary_cross_entropy(outputs: Outputs, y: Any) -> Any:
    return outputs[0].softplus() - outputs[0] * y


def _softmax_cross_entropy(outputs: Outputs, target: int) -> Any:
    """-log softmax(outputs)[target] = log(sum(exp(s - m))) + m - s[target]."""
    shift = _largest(outputs)
    return _total([(o - shift).exp() for o in outputs]).log() + shift - outputs[int(target)]


def _multiclass_hinge(outputs: Outputs, target: int) -> Any:
    """CS231n's and ConvNetJS's SVM loss: sum over j != target of max(0, s_j - s_target + 1)."""
    right = outputs[int(target)]
    return _total([(o - right + 1).relu() for j, o in enumerate(outputs) if j != int(target)])


SAMPLE_LOSSES: dict[str, Callable[[Outputs, Any], Any]] = {
    "mse": _squared_error,
    "hinge": _hinge,
    "bce": _binary_cross_entropy,
    "mae": _absolute_error,
    "huber": _huber,
    "cross_entropy": _softmax_cross_entropy,
    "multiclass_hinge": _multiclass_hinge,
}
CLASS_LOSSES = frozenset({"cross_entropy", "multiclass_hinge"})  # targets are class indices


# ---- the same math on arrays, with its slope, for a batch --------------------------------------

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


def _absolute_error_terms(s: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """absolute_error's per-sample loss and its slope in s (0 at the target, as Value's abs)."""
    error = s - y
    return np.abs(error), np.sign(error)


def _huber_terms(s: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """huber's per-sample loss and its slope in s: the error, clipped to +-HUBER_DELTA."""
    error = s - y
    size = np.abs(error)
    near = np.minimum(size, HUBER_DELTA)
    return 0.5 * near * near + HUBER_DELTA * (size - near), np.clip(error, -HUBER_DELTA,
                                                                     HUBER_DELTA)


def _softmax_terms(s: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Softmax cross-entropy per row (N,) and its slope in s (N, C): softmax - onehot.

    The targets' entries are read and written through flat indices, and the softmax is made
    in place: each NumPy call costs more than its arithmetic on a minibatch.
    """
    n, c = s.shape
    picked = _row_starts(n, c) + t  # (N,) flat index of each row's target score
    # (N, C), largest 0; in row-major order whatever s's, for the flat indices to reach it
    shifted = np.subtract(s, np.maximum.reduce(s, axis=1, keepdims=True), order="C")
    softmax = np.exp(shifted)
    total = np.dot(softmax, ones(c, s.dtype))  # (N,) each row's sum
    softmax /= total[:, None]  # (N, C)
    losses = np.log(total)  # log(sum(exp)) - shifted[target]
    losses -= shifted.reshape(-1)[picked]
    softmax.reshape(-1)[picked] -= 1
    return losses, softmax


@lru_cache(maxsize=64)
def _row_starts(n: int, c: int) -> np.ndarray:
    """The flat index of each row's first entry in an (n, c) array, (n,), read-only."""
    starts = np.arange(0, n * c, c)
    starts.flags.writeable = False  # shared by every caller
    return starts


def _multiclass_hinge_terms(s: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The multi-class hinge per row (N,) and its slope in s (N, C)."""
    rows = np.arange(len(t))
    margins = s - s[rows, t][:, None] + 1  # (N, C)
    margins[rows, t] = 0  # the target's own class is not summed
    violated = margins > 0  # (N, C); relu'(0) is 0, as in Value
    slope = violated.astype(s.dtype)
    slope[rows, t] = -np.add.reduce(slope, axis=1)
    return np.add.reduce(margins * violated, axis=1), slope


# ---- batch losses: the mean over samples ---------------------------------------------------------

def _mean(terms: list[Value]) -> Value:
    """Mean of Values as one node."""
    return Value.sum(terms) * (1.0 / len(terms))


def _check_sizes(scores: list[Any], targets: Sequence[Any]) -> None:
    if len(scores) != len(targets) or not scores:
        raise ValueError(f"{len(scores)} scores for {len(targets)} targets")


def terms_targets(name: str, targets: Any, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """Targets (N,) as the loss's terms read them against scores of this shape and dtype:
    class indices (N,) for a class loss, else one per score, shaped and typed like them."""
    if name in CLASS_LOSSES:
        return np.asarray(targets, dtype=np.intp).reshape(-1)
    return np.asarray(targets, dtype=dtype).reshape(shape)


def _mean_over_samples(name: str, terms: LossTerms, scores: Scores, targets: Sequence[Any]) -> Any:
    """Mean over samples: SAMPLE_LOSSES on Values (one per sample, or a row of class scores
    for a class loss), terms on a Tensor."""
    if isinstance(scores, Tensor):
        return mean_loss(scores, terms_targets(name, targets, scores.shape, scores.data.dtype),
                         terms)
    _check_sizes(scores, targets)
    sample = SAMPLE_LOSSES[name]
    if name in CLASS_LOSSES:
        return _mean([sample(row, int(t)) for row, t in zip(scores, targets, strict=True)])
    return _mean([sample([s], float(y)) for s, y in zip(scores, targets, strict=True)])


def hinge(scores: Scores, targets: Sequence[float]) -> Any:
    """Max-margin loss mean(relu(1 - y * score)) for labels y in {-1, +1} (micrograd's demo)."""
    return _mean_over_samples("hinge", _hinge_terms, scores, targets)


def binary_cross_entropy(scores: Scores, targets: Sequence[float]) -> Any:
    """Cross-entropy of sigmoid(score) against y in {0, 1}, from logits: softplus(s) - s*y."""
    return _mean_over_samples("bce", _bce_terms, scores, targets)


def mse(scores: Scores, targets: Sequence[float]) -> Any:
    """Mean squared error mean((score - y) ** 2)."""
    return _mean_over_samples("mse", _squared_error_terms, scores, targets)


def absolute_error(scores: Scores, targets: Sequence[float]) -> Any:
    """Mean absolute error mean(|score - y|)."""
    return _mean_over_samples("mae", _absolute_error_terms, scores, targets)


def huber(scores: Scores, targets: Sequence[float]) -> Any:
    """Mean Huber loss: e**2 / 2 for |e| <= d (HUBER_DELTA), else d * (|e| - d / 2)."""
    return _mean_over_samples("huber", _huber_terms, scores, targets)


def softmax_cross_entropy(scores: Scores, targets: Sequence[int]) -> Any:
    """Mean of -log softmax(row)[target] over rows of class scores; targets are class indices."""
    return _mean_over_samples("cross_entropy", _softmax_terms, scores, targets)


def multiclass_hinge(scores: Scores, targets: Sequence[int]) -> Any:
    """Mean over rows of sum_{j != y} max(0, s_j - s_y + 1); targets are class indices."""
    return _mean_over_samples("multiclass_hinge", _multiclass_hinge_terms, scores, targets)


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
    "mae": absolute_error,
    "huber": huber,
    "cross_entropy": softmax_cross_entropy,
    "multiclass_hinge": multiclass_hinge,
}


# each loss's per-sample terms, for the loss of every point on its own (a heavy point stands out)
PER_SAMPLE: dict[str, LossTerms] = {
    "hinge": _hinge_terms,
    "bce": _bce_terms,
    "mse": _squared_error_terms,
    "mae": _absolute_error_terms,
    "huber": _huber_terms,
    "cross_entropy": _softmax_terms,
    "multiclass_hinge": _multiclass_hinge_terms,
}


def per_sample_losses(name: str, outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The loss of each sample (N,) on its own, with no graph: outputs (N, C) against class
    indices (N,) for the class losses, else (N, 1) or (N,) against targets (N,)."""
    y = terms_targets(name, targets, outputs.shape, outputs.dtype)
    return PER_SAMPLE[name](outputs, y)[0].reshape(len(y))
