"""How each Tensor op sends its gradient back: ``(node, g) -> one gradient per child``.

``g`` is d(root)/d(node), shaped like ``node.data``; a rule returns d(root)/d(child) for each child
in ``node._prev`` (None where not needed; broadcast shapes are summed back by the caller). The
forward of each op is in engine/tensor.py under the same name (its op codes are listed there);
every activation shares one rule, which reads the derivative from engine/activations.py. Rules
never modify ``g`` in place. Nothing here imports engine/tensor.py: the rules only read ``Node``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from engine.activations import ACTIVATIONS, IDENTITY, Activation

Grads = tuple[Any, ...]  # one gradient array (or None: not needed) per child


class Node(Protocol):
    """What a backward rule reads of a Tensor node (engine/tensor.py's Tensor)."""

    data: np.ndarray
    requires_grad: bool
    _prev: tuple[Node, ...]
    _ctx: Any


@lru_cache(maxsize=64)
def ones(n: int, dtype: Any = np.float64) -> np.ndarray:
    """A read-only (n,) array of ones: ``ones(n) @ a`` sums a's n rows, and ``a @ ones(n)`` its
    n columns, each as one BLAS call, cheaper than a reduction on a minibatch."""
    array = np.ones(n, dtype)
    array.flags.writeable = False  # shared by every caller
    return array


def _unreduce(g: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """A reduction's output (or its gradient) shaped to broadcast against the input again."""
    return g if axis is None or keepdims else np.expand_dims(g, axis)


def _matmul_grads(a: np.ndarray, b: np.ndarray, g: np.ndarray, need_a: bool,
                  need_b: bool) -> Grads:
    """Gradients of a @ b; 1-D operands are promoted to matrices as matmul does."""
    if a.ndim == 2 and b.ndim == 2:  # np.dot: the same product, less call overhead than @
        return (np.dot(g, b.T) if need_a else None, np.dot(a.T, g) if need_b else None)
    a2 = a[None, :] if a.ndim == 1 else a  # (k,) -> (1, k)
    b2 = b[:, None] if b.ndim == 1 else b  # (k,) -> (k, 1)
    g2 = np.asarray(g)  # put back the axes matmul dropped: column of b, then row of a
    g2 = g2[..., None] if b.ndim == 1 else g2
    g2 = g2[..., None, :] if a.ndim == 1 else g2
    da = db = None
    if need_a:
        da = g2 @ b2.swapaxes(-1, -2)
        da = da[..., 0, :] if a.ndim == 1 else da
    if need_b:
        db = a2.swapaxes(-1, -2) @ g2
        db = db[..., 0] if b.ndim == 1 else db
    return da, db


def _mul_back(node: Node, g: np.ndarray) -> Grads:
    a, b = node._prev
    return (g * b.data if a.requires_grad else None, g * a.data if b.requires_grad else None)


def _div_back(node: Node, g: np.ndarray) -> Grads:
    b = node._prev[1]
    ga = g / b.data
    return ga, (-ga * node.data if b.requires_grad else None)


def _pow_back(node: Node, g: np.ndarray) -> Grads:
    a, b = node._prev
    ga = g * b.data * a.data ** (b.data - 1) if a.requires_grad else None
    return ga, (g * node.data * np.log(a.data) if b.requires_grad else None)


def _matmul_back(node: Node, g: np.ndarray) -> Grads:
    a, b = node._prev
    return _matmul_grads(a.data, b.data, g, a.requires_grad, b.requires_grad)


def _sum_back(node: Node, g: np.ndarray) -> Grads:
    axis, keepdims = node._ctx
    if not (axis is None or keepdims):
        g = np.expand_dims(g, axis)
    out = np.empty(node._prev[0].data.shape, g.dtype)
    out[...] = g  # every input element gets the gradient of the sum it went into
    return (out,)


def _mean_back(node: Node, g: np.ndarray) -> Grads:
    return _sum_back(node, g * (node.data.size / node._prev[0].data.size))


def _max_back(node: Node, g: np.ndarray) -> Grads:
    axis, keepdims = node._ctx
    x = node._prev[0].data
    winners = x == _unreduce(node.data, axis, keepdims)  # (x.shape) True at the maximum
    share = _unreduce(g, axis, keepdims) / np.add.reduce(winners, axis=axis, keepdims=True)
    return (winners * share,)


def _logsumexp_back(node: Node, g: np.ndarray) -> Grads:
    axis, keepdims = node._ctx
    softmax = np.exp(node._prev[0].data - _unreduce(node.data, axis, keepdims))
    return (softmax * _unreduce(g, axis, keepdims),)


def _log_softmax_back(node: Node, g: np.ndarray) -> Grads:
    return (g - np.exp(node.data) * np.add.reduce(g, axis=node._ctx, keepdims=True),)


def _index_back(node: Node, g: np.ndarray) -> Grads:
    full = np.zeros_like(node._prev[0].data)
    np.add.at(full, node._ctx, g)  # adds repeated rows instead of overwriting
    return (full,)


def _activation_back(node: Node, g: np.ndarray) -> Grads:
    act: Activation = node._ctx
    return (act.backward(g, node.data, node._prev[0].data),)


def network_gradients(g: np.ndarray, output: np.ndarray, inputs: Sequence[np.ndarray],
                      pre_activations: Sequence[np.ndarray | None],
                      activations: Sequence[Activation], masks: Sequence[np.ndarray | None],
                      weights: Sequence[np.ndarray], need_input: bool) -> list[Any]:
    """The fused network's backward pass: from g = d(root)/d(output) (batch, fan_out), the
    gradient of its input (None unless need_input), then of each weight and bias in order."""
    grads: list[Any] = [None] * (1 + 2 * len(activations))
    row_sum = ones(len(g), g.dtype)  # (batch,)
    for i in range(len(activations) - 1, -1, -1):  # last layer first
        if masks[i] is not None:  # a switched-off neuron passes no gradient back
            g = g * masks[i]
        dz = activations[i].backward(g, output, pre_activations[i])  # (batch, fan_out_i)
        grads[2 * i + 1] = np.dot(inputs[i].T, dz)  # (fan_in_i, fan_out_i)
        grads[2 * i + 2] = np.dot(row_sum, dz)  # (fan_out_i,)
        if i or need_input:
            g = np.dot(dz, weights[i].T)  # (batch, fan_in_i)
        output = inputs[i]
    grads[0] = g if need_input else None
    return grads


def _network_back(node: Node, g: np.ndarray) -> Grads:
    inputs, pre_activations, activations, masks = node._ctx
    weights = [p.data for p in node._prev[1::2]]
    return network_gradients(g, node.data, inputs, pre_activations, activations, masks, weights,
                             node._prev[0].requires_grad)


def _linear_back(node: Node, g: np.ndarray) -> Grads:
    x, weight, _ = node._prev
    act, pre_activation = node._ctx
    dz = act.backward(g, node.data, pre_activation)  # (batch, fan_out)
    dx = np.dot(dz, weight.data.T) if x.requires_grad else None  # (batch, fan_in)
    return dx, np.dot(x.data.T, dz), np.add.reduce(dz, axis=0)


BACKWARD: dict[str, Callable[[Node, np.ndarray], Grads]] = {
    "+": lambda node, g: (g, g),
    "-": lambda node, g: (g, -g),
    "neg": lambda node, g: (-g,),
    "*": _mul_back,
    "*c": lambda node, g: (g * node._ctx,),
    "/": _div_back,
    "/c": lambda node, g: (g / node._ctx,),
    "c/": lambda node, g: (-g * node.data / node._prev[0].data,),
    "**": _pow_back,
    "**c": lambda node, g: (g * (node._ctx * node._prev[0].data ** (node._ctx - 1)),),
    "square": lambda node, g: (g * (2 * node._prev[0].data),),
    "c**": lambda node, g: (g * node.data * np.log(node._ctx),),
    "@": _matmul_back,
    "@c": lambda node, g: _matmul_grads(node._prev[0].data, node._ctx, g, True, False)[:1],
    "c@": lambda node, g: _matmul_grads(node._ctx, node._prev[0].data, g, False, True)[1:],
    "exp": lambda node, g: (g * node.data,),
    "log": lambda node, g: (g / node._prev[0].data,),
    "abs": lambda node, g: (g * np.sign(node._prev[0].data),),
    "sum": _sum_back,
    "mean": _mean_back,
    "max": _max_back,
    "logsumexp": _logsumexp_back,
    "log_softmax": _log_softmax_back,
    "reshape": lambda node, g: (g.reshape(node._prev[0].data.shape),),
    "T": lambda node, g: (g.T,),
    "index": _index_back,
    "linear": _linear_back,
    "network": _network_back,
    "mean_loss": lambda node, g: (node._ctx[0] * (node._ctx[1] * g),),  # slopes * (scale * g)
    "sum_of_squares": lambda node, g: [t.data * (2 * node._ctx * g) for t in node._prev],
    **{name: _activation_back for name, act in ACTIVATIONS.items() if act is not IDENTITY},
}
