"""TrainingStep: a minibatch's loss and gradients through a Network, with no graph.

The training step's hot path. Making and walking a graph's nodes costs as much as the
arithmetic on a minibatch, and so does each NumPy call, so the step does the network node's
math (engine/fused.py's network, engine/tensor_grads.py's rule for it) in as few calls as it
can: each layer's weight rows and bias row are one block, multiplied by the layer's input with
a row of ones appended, so one product adds the bias and one gives both gradients. The hidden
layers work on transposes, (neurons, batch): each layer's activations are then a contiguous
block of rows above the ones, where elementwise calls run at full speed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.activations import find_activation
from engine.fused import LossTerms
from engine.layers import Network
from engine.tensor_grads import ones


class TrainingStep:
    """The mean loss of a Network on a minibatch, each parameter's gradient written to its .grad.

    blocks[i] and grad_blocks[i] are layer i's weight and bias (fan_in + 1, fan_out), the
    weight's rows then the bias, in the same memory as its tensors' .data and .grad
    (playground.core.flat.FlatParameters lays them out so). Gradients are written, not added:
    no zeroing is needed before a call. The network's masks are read at each call. What
    ``mean_loss(network(x), targets, terms).backward()`` computes, to rounding.
    """

    def __init__(self, network: Network, blocks: Sequence[np.ndarray],
                 grad_blocks: Sequence[np.ndarray]) -> None:
        for i, (layer, block, grad) in enumerate(zip(network.layers, blocks, grad_blocks,
                                                     strict=True)):
            fan_in, fan_out = layer.weight.shape
            if not (block.shape == grad.shape == (fan_in + 1, fan_out)
                    and np.shares_memory(block, layer.weight.data)
                    and np.shares_memory(grad, layer.bias.grad)):
                raise ValueError(f"layer {i + 1}: a block must hold its weight and bias")
        self.network = network
        self._blocks = list(blocks)
        self._grad_blocks = list(grad_blocks)
        self._weights = [block[:-1] for block in blocks]  # (fan_in, fan_out) each
        self._acts = [find_activation(layer.activation) for layer in network.layers]
        # batch size -> per layer its input and pre-activation (_make_arrays): made once,
        # reused by every minibatch of that size
        self._arrays: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = {}

    def __call__(self, x: np.ndarray, targets: np.ndarray, terms: LossTerms) -> float:
        """The mean loss on x (batch, fan_in); targets as the loss's terms read them (shaped
        like the output, or class indices)."""
        inputs, pre = self._arrays.get(len(x)) or self._make_arrays(len(x))
        inputs[0][:-1] = x.T  # (fan_in, batch) above the ones
        masks, acts, blocks = self.network.masks, self._acts, self._blocks
        last = len(acts) - 1
        for i in range(last):  # hidden layers, transposed: (fan_out_i, batch) each
            act, h = acts[i], inputs[i + 1][:-1]  # into the next input, above its ones
            z = np.dot(blocks[i].T, inputs[i], out=pre[i])
            y = act.forward(z, h if act.from_output else None)
            if y is not h:  # an activation that makes a new array
                np.copyto(h, y)
            if masks[i] is not None:
                h *= masks[i][:, None]
        act = acts[last]  # the output layer, (batch, fan_out) as the loss reads it
        z = np.dot(inputs[last].T, blocks[last], out=pre[last])
        output = act.forward(z, z if act.from_output else None)
        if masks[last] is not None:
            output *= masks[last]
        losses, g = terms(output, targets)
        scale = 1.0 / losses.size
        g *= scale  # the terms' own array: d(mean loss) / d(output)
        if masks[last] is not None:  # a switched-off neuron passes no gradient back
            g = g * masks[last]
        dz = act.backward(g, output, None if act.from_output else z)  # (batch, fan_out)
        np.dot(inputs[last], dz, out=self._grad_blocks[last])  # weight rows and bias row
        if last:
            g = np.dot(self._weights[last], dz.T)  # (fan_in, batch): transposed from here
        for i in range(last - 1, -1, -1):
            if masks[i] is not None:
                g = g * masks[i][:, None]
            act = acts[i]
            dz = act.backward(g, inputs[i + 1][:-1], None if act.from_output else pre[i])
            np.dot(inputs[i], dz.T, out=self._grad_blocks[i])
            if i:
                g = np.dot(self._weights[i], dz)  # (fan_in_i, batch)
        # the sum in one call: losses are (batch,) or (batch, 1)
        return float(np.dot(losses.reshape(-1), ones(losses.size, losses.dtype))) * scale

    def _make_arrays(self, n: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per layer its input, transposed, above a row of ones (fan_in + 1, batch), and its
        pre-activation: transposed (fan_out, batch) but for the output layer's (batch,
        fan_out)."""
        inputs = [np.ones((block.shape[0], n)) for block in self._blocks]
        pre = [np.empty((block.shape[1], n)) for block in self._blocks[:-1]]
        pre.append(np.empty((n, self._blocks[-1].shape[1])))
        self._arrays[n] = inputs, pre
        return inputs, pre

    def __repr__(self) -> str:
        sizes = [self._blocks[0].shape[0] - 1, *(block.shape[1] for block in self._blocks)]
        return f"TrainingStep({'-'.join(map(str, sizes))})"
