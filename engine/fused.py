"""Fused Tensor ops: one graph node for work that would otherwise take several.

On small arrays each node's Python overhead costs more than its arithmetic, so the hot paths of
training get one node each: a layer (``linear``), a whole stack of layers (``network``), the mean
of a per-sample loss (``mean_loss``) and the L2 penalty (``sum_of_squares``). Their backward rules
are in engine/tensor_grads.py under the same op names, the activations in engine/activations.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from engine.activations import IDENTITY, Activation, find_activation
from engine.tensor import BARE_LAYER, Tensor, _result

# (scores, targets) arrays -> (per-sample losses, d loss / d scores shaped like scores)
LossTerms = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def linear(x: Tensor, weight: Tensor, bias: Tensor, activation: str = "linear") -> Tensor:
    """activation(x @ weight + bias) as one node; x (batch, fan_in) -> (batch, fan_out)."""
    act = find_activation(activation)
    z = np.dot(x.data, weight.data)  # (batch, fan_out); np.dot: less call overhead than @
    z += bias.data
    if act.from_output:  # z is not needed again: the activation may work in place
        return _result(act.forward(z, z), "linear", (x, weight, bias),
                       BARE_LAYER if act is IDENTITY else (act, None))
    return _result(act.forward(z, None), "linear", (x, weight, bias), (act, z))


def network(x: Tensor, params: Sequence[Tensor], activations: Sequence[str],
            masks: Sequence[np.ndarray | None] | None = None) -> Tensor:
    """Layers applied in turn as one node: params are weight, bias, weight, bias... in order.

    Layer i is activations[i](h @ params[2i] + params[2i + 1]); x (batch, fan_in) -> (batch,
    fan_out of the last layer). The node keeps every layer's input for its backward rule, and
    the pre-activation of the layers whose activation's derivative needs it (GELU, sine...).
    masks[i], when given and not None, is a (fan_out_i,) array of 0s and 1s that multiplies
    layer i's output: a 0 holds that neuron's output at zero (switched off), and its gradient
    with it, so the other neurons train as if it were not there.
    """
    acts = [find_activation(name) for name in activations]
    masks = masks or [None] * len(acts)
    h, inputs, kept = network_forward(x.data, [p.data for p in params], acts, masks)
    return _result(h, "network", (x, *params), (inputs, kept, acts, masks))


def network_forward(h: np.ndarray, params: Sequence[np.ndarray], acts: Sequence[Activation],
                    masks: Sequence[np.ndarray | None]
                    ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray | None]]:
    """The network node's forward pass on arrays: its output, each layer's input and the
    pre-activations its backward rule needs (None where the output is enough)."""
    inputs = []  # layer i's input (batch, fan_in_i); its output is inputs[i + 1] or the result
    kept = []  # layer i's pre-activation (batch, fan_out_i), or None when not needed
    for i, act in enumerate(acts):
        inputs.append(h)
        z = np.dot(h, params[2 * i])  # (batch, fan_out_i)
        z += params[2 * i + 1]
        if act.from_output:  # z is not needed again: the activation may work in place
            h = act.forward(z, z)
            kept.append(None)
        else:
            h = act.forward(z, None)
            kept.append(z)
        if masks[i] is not None:
            h = h * masks[i]  # (batch, fan_out_i), a new array: z may share h's memory
    return h, inputs, kept


def mean_loss(scores: Tensor, targets: np.ndarray, terms: LossTerms) -> Tensor:
    """The mean over samples of a per-sample loss as one node.

    targets are as terms reads them: shaped like scores, or class indices (N,) for a class
    loss, whose terms give one loss per row of scores (N, C) and a slope shaped like scores.
    """
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
