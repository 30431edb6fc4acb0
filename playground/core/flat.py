"""FlatParameters: a network's parameters as views into one buffer.

The tensor engine updates ``.data`` and accumulates leaf gradients into ``.grad`` in place, so
when every parameter's arrays are views into two flat buffers, one NumPy call updates, zeroes,
checkpoints or checks all of them. That keeps the training step's cost flat in the number of layers.
"""

from __future__ import annotations

import math

import numpy as np

from engine.layers import Network


class FlatParameters:
    """All weights then all biases of a Network in one ``data`` and one ``grad`` array.

    It has ``.data`` and ``.grad`` like a parameter, so engine.optim updates it as one.
    """

    def __init__(self, network: Network) -> None:
        weights = [layer.weight for layer in network.layers]
        biases = [layer.bias for layer in network.layers]
        tensors = weights + biases  # weights first: regularization reads them as one prefix
        self.data = np.concatenate([t.data.ravel() for t in tensors])  # (n_params,)
        self.grad = np.zeros_like(self.data)  # (n_params,)
        self._checkpoint = self.data.copy()  # (n_params,)
        # the values before the last optimizer step (the session copies them in): data minus
        # this is the last update, which the network view and the gradient health show
        self.before_update = self.data.copy()  # (n_params,)
        self._slices: list[tuple[slice, tuple[int, ...]]] = []  # where each tensor lies
        start = 0
        for t in tensors:
            stop = start + t.data.size
            self._slices.append((slice(start, stop), t.data.shape))
            # the tensors now read and write the shared buffers
            t.data = self.data[start:stop].reshape(t.data.shape)
            t.grad = self.grad[start:stop].reshape(t.data.shape)
            start = stop
        n_weights = sum(w.data.size for w in weights)
        self.weights = self.data[:n_weights]  # (n_weights,) view, no biases
        self.weight_grads = self.grad[:n_weights]  # (n_weights,) view

    def layer_views(self, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per layer (weight (fan_in, fan_out), bias (fan_out,)) views into flat, an array laid
        out as data is (data, grad, an optimizer's moments, a copy of one of them)."""
        views = [flat[where].reshape(shape) for where, shape in self._slices]
        n_layers = len(views) // 2
        return list(zip(views[:n_layers], views[n_layers:], strict=True))

    def zero_grad(self) -> None:
        """Zero every gradient with one call."""
        self.grad.fill(0.0)

    def all_finite(self) -> bool:
        """True if no parameter is NaN or infinite (one sum instead of a check per array).

        The sum also overflows when weights pass ~1e300, which is divergence all the same.
        """
        return math.isfinite(np.add.reduce(self.data))  # add.reduce: sum() without its wrapper

    def save_checkpoint(self) -> None:
        """Keep a copy of the current values."""
        np.copyto(self._checkpoint, self.data)

    def restore_checkpoint(self) -> None:
        """Put back the values of the last save_checkpoint() (the initial ones before any)."""
        np.copyto(self.data, self._checkpoint)
        np.copyto(self.before_update, self.data)  # no step led here: no last update to show

    def checkpoint(self) -> np.ndarray:
        """A copy of the values of the last save_checkpoint() (n_params,)."""
        return self._checkpoint.copy()

    def set_checkpoint(self, values: np.ndarray) -> None:
        """Make values (n_params,) what restore_checkpoint() puts back; ValueError if unfit."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self._checkpoint.shape:
            raise ValueError(f"a checkpoint of {values.size} values for {len(self)} parameters")
        np.copyto(self._checkpoint, values)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"FlatParameters({len(self)} values, {len(self.weights)} weights)"
