"""Gradient health: per layer the size of the weights, of their gradients and of the last update,
the ReLUs dead on all the training data and the tanh/sigmoid units saturated, in plain words.

Computed on the training thread at the drawing rate from the parameters' copies and the pass
over the data that the snapshot makes anyway (see inside.py).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from playground.core.parameter_state import ParameterState

SATURATED_OUTPUT = 0.99  # |tanh| above this (sigmoid within 0.01 of 0 or 1): a flat slope
SATURATED_SHARE = 0.5  # ... on more than this share of the training points
DEAD_WARNING_SHARE = 0.25  # warn once this share of a layer's ReLUs is dead
SATURATED_WARNING_SHARE = 0.5
DIVERGING_RATIO = 1.0  # an update larger than the weights it changes
TREND_LENGTH = 120  # samples kept for the sparklines (12 s at the network view's 10 Hz)
MEASURES = ("|weights|", "|gradients|", "update ratio")


@dataclass(frozen=True)
class LayerHealth:
    """One layer's numbers (the output layer has no dead or saturated count)."""

    name: str  # "layer 2" (hidden layers from 1), or "output"
    activation: str
    neurons: int  # neurons switched on
    weight_size: float  # mean |w| of its weights
    grad_size: float  # mean |dL/dw| of its weights' gradients
    update_ratio: float  # ||last update|| / ||weights||, weights and biases together
    dead: int  # ReLUs whose output is 0 on every training point (0 for other activations)
    saturated: int  # tanh/sigmoid units saturated on most training points


@dataclass(frozen=True)
class HealthReport:
    """Every layer's health now, the recent trend of its three sizes, and the warnings."""

    layers: tuple[LayerHealth, ...]
    trend: np.ndarray  # (T, layers, 3): MEASURES per layer over the last T snapshots, oldest first
    warnings: tuple[str, ...]


def dead_units(outputs: np.ndarray) -> np.ndarray:
    """(n,) True for the units whose outputs (n, N) are zero or less on every point."""
    if not outputs.shape[1]:
        return np.zeros(len(outputs), bool)
    return np.all(outputs <= 0, axis=1)


def saturated_units(outputs: np.ndarray, activation: str) -> np.ndarray:
    """(n,) True for the units whose outputs (n, N) sit on a flat part on most points."""
    if not outputs.shape[1]:
        return np.zeros(len(outputs), bool)
    if activation == "sigmoid":
        flat = np.abs(2 * outputs - 1) > 2 * SATURATED_OUTPUT - 1
    else:
        flat = np.abs(outputs) > SATURATED_OUTPUT
    return np.mean(flat, axis=1) > SATURATED_SHARE


def layer_health(state: ParameterState, activations: tuple[str, ...],
                 train_outputs: list[np.ndarray],
                 switched_off: frozenset[tuple[int, int]]) -> list[LayerHealth]:
    """Every layer's health: activations of the hidden layers (the output is linear) and their
    outputs (n, N_train) over the training points."""
    layers = []
    for index, ((w, b), (gw, _), (uw, ub)) in enumerate(zip(state.values, state.grads,
                                                             state.updates, strict=True)):
        hidden = index < len(activations)
        activation = activations[index] if hidden else "linear"
        on = np.ones(len(b), bool)  # (n,)
        if hidden:
            on[[n for layer, n in switched_off if layer == index]] = False
        dead = saturated = 0
        if hidden and activation == "relu":
            dead = int(np.count_nonzero(dead_units(train_outputs[index]) & on))
        if hidden and activation in ("tanh", "sigmoid"):
            saturated = int(np.count_nonzero(saturated_units(train_outputs[index], activation)
                                             & on))
        norm = np.sqrt(np.sum(w * w) + np.sum(b * b))
        update = np.sqrt(np.sum(uw * uw) + np.sum(ub * ub))
        layers.append(LayerHealth(
            name=f"layer {index + 1}" if hidden else "output", activation=activation,
            neurons=int(np.count_nonzero(on)), weight_size=float(np.mean(np.abs(w))),
            grad_size=float(np.mean(np.abs(gw))),
            update_ratio=float(update / norm) if norm > 0 else 0.0, dead=dead,
            saturated=saturated))
    return layers


def warnings_for(layers: list[LayerHealth]) -> list[str]:
    """What a person should know, in plain words, most urgent first; one line per kind."""
    said = []
    diverging = [layer.name for layer in layers if layer.update_ratio > DIVERGING_RATIO]
    if diverging:
        said.append(f"update/weight ratio above 1 ({', '.join(diverging)}): training is about "
                    "to diverge; lower the learning rate")
    for layer in layers:
        if layer.dead and layer.dead >= DEAD_WARNING_SHARE * layer.neurons:
            units = "ReLU is" if layer.dead == 1 else "ReLUs are"
            said.append(f"{layer.name}: {layer.dead} of {layer.neurons} {units} dead: lower the "
                        "learning rate or try leaky ReLU")
    saturated = [f"{layer.name} ({layer.saturated} of {layer.neurons})" for layer in layers
                 if layer.saturated and layer.saturated >= SATURATED_WARNING_SHARE * layer.neurons]
    if saturated:
        said.append(f"saturated units in {', '.join(saturated)}: they barely learn; lower the "
                    "learning rate or the size of the inputs")
    return said


class HealthTrend:
    """The last TREND_LENGTH samples of every layer's MEASURES; kept by the training loop."""

    def __init__(self) -> None:
        self._samples: deque[np.ndarray] = deque(maxlen=TREND_LENGTH)

    def add(self, layers: list[LayerHealth]) -> np.ndarray:
        """Record one sample; the trend (T, layers, 3), anew when the layers changed."""
        sample = np.array([[layer.weight_size, layer.grad_size, layer.update_ratio]
                           for layer in layers])  # (layers, 3)
        if self._samples and self._samples[-1].shape != sample.shape:
            self._samples.clear()
        self._samples.append(sample)
        return np.array(self._samples)

    def clear(self) -> None:
        """Forget the samples (after a reset)."""
        self._samples.clear()


def health_report(state: ParameterState, activations: tuple[str, ...],
                  train_outputs: list[np.ndarray], switched_off: frozenset[tuple[int, int]],
                  trend: HealthTrend) -> HealthReport:
    """The report for the window, with this sample added to trend."""
    layers = layer_health(state, activations, train_outputs, switched_off)
    return HealthReport(tuple(layers), trend.add(layers), tuple(warnings_for(layers)))
