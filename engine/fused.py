"""Fused Tensor ops: one graph node for work that would otherwise take several.

On small arrays each node's Python overhead costs more than its arithmetic, so the hot paths of
training get one node each: a layer (``linear``), a whole stack of layers (``network``), the mean
of a per-sample loss (``mean_loss``) and the L2 penalty (``sum_of_squares``). Their backward rules
are in engine/tensor_grads.py under the same op names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from engine.tensor import Tensor, _result
from engine.tensor_grads import sigmoid

# (score, target) arrays -> (per-sample loss, d loss / d score), elementwise
LossTerms = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

ACTIVATE: dict[str, Callable[[np.ndarray], np.ndarray]] = {  # may work in place on z
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0, out=z),
    "tanh": lambda z: np.tanh(z, out=z),
    "sigmoid": sigmoid,
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def linear(x: Tensor, weight: Tensor, bias: Tensor, activation: str = "linear") -> Tensor:
    """activation(x @ weight + bias) as one node; x (batch, fan_in) -> (batch, fan_out)."""
    z = np.dot(x.data, weight.data)  # (batch, fan_out); np.dot: less call overhead than @
    z += bias.data
    return _result(ACTIVATE[activation](z), "linear", (x, weight, bias), activation)


def network(x: Tensor, params: Sequence[Tensor], activations: Sequence[str]) -> Tensor:
    """Layers applied in turn as one node: params are weight, bias, weight, bias... in order.

    Layer i is activations[i](h @ params[2i] + params[2i + 1]); x (batch, fan_in) -> (batch,
    fan_out of the last layer). The node keeps every layer's input for its backward rule.
    """
    inputs = []  # layer i's input (batch, fan_in_i); its output is inputs[i + 1] or the result
    h = x.data
    for i, activation in enumerate(activations):
        inputs.append(h)
        z = np.dot(h, params[2 * i].data)  # (batch, fan_out_i)
        z += params[2 * i + 1].data
        h = ACTIVATE[activation](z)
    return _result(h, "network", (x, *params), (inputs, tuple(activations)))


def mean_loss(scores: Tensor, targets: np.ndarray, terms: LossTerms) -> Tensor:
    """The mean over samples of a per-sample loss as one node; targets shaped like scores."""
    losses, slopes = terms(scores.data, targets)
    scale = 1.0 / losses.size
    # the slopes are scaled in backward, where the incoming gradient multiplies them anyway
    return _result(np.add.reduce(losses, axis=None) * scale, "mean_loss", (scores,),
                   (slopes, scale))


def sum_of_squares(tensors: Iterable[Tensor]) -> Tensor:
    """sum(t * t) over every element of every tensor, as one node (the L2 penalty)."""
    children = tuple(tensors)
    total = sum(np.vdot(t.data, t.data) for t in children)
    return _result(np.asarray(total), "sum_of_squares", children, 1.0)
