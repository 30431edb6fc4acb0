"""What the network view reads and changes of a TrainingSession between two steps.

A mixin of TrainingSession (playground/core/session.py), kept apart so each file has one job:
there, training; here, the session's network as the network view sees it: every layer's output
over the data, the parameters with their gradients and optimizer state, a typed weight, and
neurons switched off. It reads the session's network, flat parameters, optimizer, spec, config
and splits, and calls its _evaluate after an edit.
"""

from __future__ import annotations

import numpy as np

from playground.core.bounds import Bounds
from playground.core.features import feature_matrix
from playground.core.parameter_state import ParameterRef, ParameterState, check_parameter_value


class NetworkEdits:
    """TrainingSession's network view side; see the module's docstring for what it reads."""

    @property
    def switched_off(self) -> frozenset[tuple[int, int]]:
        """The (hidden layer, neuron) pairs switched off, both from 0."""
        return self._switched_off

    def data_outputs(self, stride: int = 1) -> list[np.ndarray]:
        """Every layer's output (fan_out, N) over the training points then the test points
        (every stride-th of them), the features (F, N) first: one float64 pass, no graph."""
        return self._network.layer_outputs(self._all_x[::stride], np.float64)

    def curve_outputs(self, bounds: Bounds, points: int) -> list[np.ndarray]:
        """A function of x: every layer's output (fan_out, points) over x from xmin to xmax,
        the features (F, points) first (the network view's curves)."""
        x = np.linspace(bounds[0], bounds[1], points)  # (points,)
        samples = np.column_stack([x, np.zeros_like(x)])  # (points, 2): the input is x alone
        return self._network.layer_outputs(
            feature_matrix(samples, self._spec.features, np.float32), np.float32)

    def data_labels(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Labels (N,), is_test (N,) and targets (N,) in data_outputs' order; the value types'
        points have no class, label 0 (the hidden space draws them in one colour)."""
        train, test = self._train, self._test
        truth = np.concatenate([train.truth, test.truth])  # (N,)
        labels = truth.astype(np.int64) if self.problem.n_classes else np.zeros(len(truth),
                                                                                 np.int64)
        return (labels,
                np.repeat([False, True], [len(train.y), len(test.y)]),
                np.concatenate([train.y, test.y]))

    def parameter_state(self) -> ParameterState:
        """Copies of every weight and bias with its gradient, last update and optimizer state."""
        return ParameterState.of(self._params, self._optimizer, self._config.optimizer)

    def set_parameter(self, ref: ParameterRef, value: float) -> None:
        """Give one weight or bias this value (from the next step); ValueError if out of range."""
        check_parameter_value(value)
        layers = self._params.layer_views(self._params.data)
        weight, bias = layers[ref.layer] if 0 <= ref.layer < len(layers) else (None, None)
        if bias is None or not 0 <= ref.col < len(bias) or (
                ref.row is not None and not 0 <= ref.row < weight.shape[0]):
            raise ValueError(f"the network has no parameter {ref.name()}")
        if ref.row is None:
            bias[ref.col] = value
        else:
            weight[ref.row, ref.col] = value
        self._apply_switched_off()  # a switched-off neuron keeps the typed value for later
        self._after_edit()

    def set_switched_off(self, layer: int, neuron: int, off: bool) -> None:
        """Hold hidden neuron (layer, neuron)'s output at zero, or let it work again.

        Its weights and bias, and the weights leaving it, are kept as they are while it is off
        (the optimizer's steps do not move them), so it comes back as it was.
        """
        if not (0 <= layer < len(self._spec.hidden) and 0 <= neuron < self._spec.hidden[layer]):
            raise ValueError(f"no neuron {neuron + 1} in hidden layer {layer + 1}")
        pair = (layer, neuron)
        self._switched_off = self._switched_off | {pair} if off else self._switched_off - {pair}
        self._apply_switched_off()
        self._after_edit()

    def _apply_switched_off(self) -> None:
        """Mask the switched-off neurons and note the parameters the steps must leave alone."""
        self._network.switch_off(self._switched_off)
        params = self._params
        if not self._switched_off:
            self._held = None
            return
        held = np.zeros(len(params), dtype=bool)  # (n_params,)
        views = params.layer_views(held)
        for layer, neuron in self._switched_off:
            weight, bias = views[layer]
            weight[:, neuron] = bias[neuron] = True  # what goes into it
            views[layer + 1][0][neuron, :] = True  # the weights leaving it
        self._held = (held, params.data.copy())

    def _hold_switched_off(self) -> None:
        """Put back what a step changed of the switched-off neurons' parameters."""
        held, values = self._held
        np.copyto(self._params.data, values, where=held)

    def _after_edit(self) -> None:
        """The metrics and pictures follow a change made between steps."""
        self._edits += 1
        self._evaluate(record=False)
