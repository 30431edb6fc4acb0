"""What leaves the app besides workspaces: the trained network as JSON, the loss history as CSV.

The scripts (NumPy, PyTorch, micrograd) are written by export_script from the same
TrainedNetwork. Every file is written atomically.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import numpy as np

from playground.core.atomic import write_atomic
from playground.core.problems import Problem
from playground.core.session_state import SessionState
from playground.core.training_record import History
from playground.core.workspace_format import APP_ID

WEIGHTS_KIND = "network weights"  # the "kind" key of a weights file


@dataclass(frozen=True)
class TrainedLayer:
    """One layer: activation(h @ weight + bias)."""

    weight: np.ndarray  # (fan_in, fan_out)
    bias: np.ndarray  # (fan_out,)
    activation: str  # a name from engine.activations.ACTIVATIONS ("linear" for the output)


# what a network's outputs mean, by problem type (the scripts' and the weights file's notes)
OUTPUT_MEANINGS = {
    "binary": "one score per point: above 0 is class 1 (blue), below 0 class 0 (orange)",
    "classes": "one score per class: the largest is the predicted class",
    "regression": "the estimated value at each point",
    "function": "the estimate of y = f(x) at each x",
}


@dataclass(frozen=True)
class TrainedNetwork:
    """A network's input features and layers, input side first: all an export needs."""

    features: tuple[str, ...]  # names from features.FEATURES, in input order
    layers: tuple[TrainedLayer, ...]
    epoch: int = 0  # epochs trained, for the exported file's notes
    train_loss: float = math.nan
    problem: str = "binary"  # the problem type (problems.KINDS): what the inputs and outputs are
    switched_off: tuple[tuple[int, int], ...] = ()  # (hidden layer, neuron): outgoing weights 0

    @classmethod
    def of(cls, state: SessionState) -> TrainedNetwork:
        """The network of a session's state (TrainingSession.state()).

        A switched-off neuron's outgoing weights are exported as zeros: it adds nothing to the
        next layer, as in the app, where its output is held at zero.
        """
        weights = [(w.copy(), b.copy()) for w, b in state.weights]
        for layer, neuron in state.switched_off:
            weights[layer + 1][0][neuron, :] = 0.0
        activations = (*state.spec.activations, "linear")
        layers = tuple(TrainedLayer(w, b, a) for (w, b), a in zip(weights, activations,
                                                                  strict=True))
        problem: Problem = state.data.problem()
        return cls(state.spec.features, layers, state.epoch, state.evaluation.train.loss,
                   problem.kind, tuple(sorted(state.switched_off)))

    @property
    def inputs(self) -> tuple[str, ...]:
        """What a point is: (x1, x2) on the plane, (x,) for a function of x."""
        return ("x",) if self.problem == "function" else ("x1", "x2")

    @property
    def sizes(self) -> tuple[int, ...]:
        """Neurons per layer from the inputs to the outputs, e.g. (2, 4, 2, 1)."""
        return (len(self.features), *(len(layer.bias) for layer in self.layers))


def weights_document(network: TrainedNetwork) -> dict:
    """The network as a JSON-ready dict: features, then each layer's activation and values."""
    point = ", ".join(network.inputs)
    return {
        "app": APP_ID, "kind": WEIGHTS_KIND, "problem": network.problem,
        "inputs": list(network.inputs), "features": list(network.features),
        "sizes": list(network.sizes),
        "layers": [{"activation": layer.activation,
                    "weight": layer.weight.tolist(),  # fan_in rows of fan_out
                    "bias": layer.bias.tolist()} for layer in network.layers],
        "switched_off": [list(pair) for pair in network.switched_off],
        "outputs": OUTPUT_MEANINGS[network.problem],
        "note": "output = activation(input @ weight + bias), layer by layer; the inputs are "
                f"the features computed from a point ({point}); a switched-off neuron "
                "(hidden layer, neuron, from 0) has its outgoing weights at 0",
    }


def write_weights(path: str | os.PathLike[str], network: TrainedNetwork) -> None:
    """The network's weights as JSON, atomically; ValueError for a weight that is not finite."""
    write_atomic(path, json.dumps(weights_document(network), indent=1, allow_nan=False) + "\n")


def history_csv(history: History) -> str:
    """epoch,step,train_loss,test_loss,train_accuracy,test_accuracy rows; empty for NaN."""
    lines = ["epoch,step,train_loss,test_loss,train_accuracy,test_accuracy"]
    for epoch, step, *values in zip(history.epochs, history.steps, history.train_loss,
                                    history.test_loss, history.train_accuracy,
                                    history.test_accuracy, strict=True):
        lines.append(",".join([str(epoch), str(step),
                               *("" if math.isnan(v) else repr(v) for v in values)]))
    return "\n".join(lines) + "\n"


def write_history(path: str | os.PathLike[str], history: History) -> None:
    """The loss history as CSV, atomically."""
    write_atomic(path, history_csv(history))
