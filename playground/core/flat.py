"""FlatParameters: a network's parameters as views into one buffer.

The tensor engine updates ``.data`` and accumulates leaf gradients into ``.grad`` in place, so
when every parameter's arrays are views into two flat buffers, one NumPy call updates, zeroes,
checkpoints or checks all of them. That keeps the training step's cost flat in the number of
layers. Each layer's weight rows and bias row lie together, as one (fan_in + 1, fan_out) block:
the training step (engine/training_step.py) multiplies by a whole block at once, the bias with
the weights. Saved state (workspaces) keeps its own order: every weight, then every bias.
"""

from __future__ import annotations

import math

import numpy as np

from engine.layers import Network
from engine.tensor_grads import ones


class FlatParameters:
    """All of a Network's weights and biases in one ``data`` and one ``grad`` array, layer by
    layer: weight (fan_in, fan_out) then bias (fan_out,).

    It has ``.data`` and ``.grad`` like a parameter, so engine.optim updates it as one.
    """

    def __init__(self, network: Network) -> None:
        layers = network.layers
        blocks = [np.vstack([layer.weight.data, layer.bias.data]) for layer in layers]
        self.data = np.concatenate([block.ravel() for block in blocks])  # (n_params,)
        self.grad = np.zeros_like(self.data)  # (n_params,)
        self._checkpoint = self.data.copy()  # (n_params,)
        # the values before the last optimizer step (the session copies them in): data minus
        # this is the last update, which the network view and the gradient health show
        self.before_update = self.data.copy()  # (n_params,)
        self._blocks: list[tuple[slice, tuple[int, int]]] = []  # where each layer's block lies
        start = 0
        for block in blocks:
            stop = start + block.size
            self._blocks.append((slice(start, stop), block.shape))
            start = stop
        # the tensors now read and write the shared buffers
        for layer, (weight, bias), (grad_weight, grad_bias) in zip(
                layers, self.layer_views(self.data), self.layer_views(self.grad), strict=True):
            layer.weight.data, layer.bias.data = weight, bias
            layer.weight.grad, layer.bias.grad = grad_weight, grad_bias
        self.is_weight = np.ones_like(self.data)  # (n_params,) 1 for a weight, 0 for a bias
        for _, bias in self.layer_views(self.is_weight):
            bias[...] = 0.0
        # _saved[i] is the index in data of the i-th value in the saved order
        weights, biases = zip(*self.layer_views(np.arange(len(self.data))), strict=True)
        self._saved = np.concatenate([v.ravel() for v in (*weights, *biases)])

    def blocks(self, flat: np.ndarray) -> list[np.ndarray]:
        """Per layer, its weight rows then its bias row (fan_in + 1, fan_out), views into flat,
        an array laid out as data is (data, grad, an optimizer's moments...)."""
        return [flat[where].reshape(shape) for where, shape in self._blocks]

    def layer_views(self, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per layer (weight (fan_in, fan_out), bias (fan_out,)) views into flat, an array laid
        out as data is (data, grad, an optimizer's moments, a copy of one of them)."""
        return [(block[:-1], block[-1]) for block in self.blocks(flat)]

    def to_saved(self, flat: np.ndarray) -> np.ndarray:
        """A copy of flat (laid out as data is) in the saved order: every weight, then every
        bias, layer by layer."""
        return np.asarray(flat, dtype=np.float64)[self._saved]

    def from_saved(self, values: np.ndarray) -> np.ndarray:
        """values (n_params,) in the saved order (to_saved's), laid out as data is."""
        flat = np.empty_like(self.data)
        flat[self._saved] = values
        return flat

    def zero_grad(self) -> None:
        """Zero every gradient with one call."""
        self.grad.fill(0.0)

    def all_finite(self) -> bool:
        """True if no parameter is NaN or infinite (one sum instead of a check per array).

        The sum also overflows when weights pass ~1e300, which is divergence all the same.
        """
        return math.isfinite(np.dot(self.data, ones(len(self.data))))  # a sum in one call

    def save_checkpoint(self) -> None:
        """Keep a copy of the current values."""
        np.copyto(self._checkpoint, self.data)

    def restore_checkpoint(self) -> None:
        """Put back the values of the last save_checkpoint() (the initial ones before any)."""
        np.copyto(self.data, self._checkpoint)
        np.copyto(self.before_update, self.data)  # no step led here: no last update to show

    def checkpoint(self) -> np.ndarray:
        """A copy of the values of the last save_checkpoint() (n_params,), in the saved order."""
        return self.to_saved(self._checkpoint)

    def set_checkpoint(self, values: np.ndarray) -> None:
        """Make values (n_params,), in the saved order, what restore_checkpoint() puts back;
        ValueError if unfit."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self._checkpoint.shape:
            raise ValueError(f"a checkpoint of {values.size} values for {len(self)} parameters")
        np.copyto(self._checkpoint, self.from_saved(values))

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return (f"FlatParameters({len(self)} values, "
                f"{int(np.count_nonzero(self.is_weight))} weights)")
