"""One weight or bias, named and typed: what the network view shows on hover and lets a person
set, copied from the session at the drawing rate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.optim import SGD, Adam, Optimizer
from playground.core.flat import FlatParameters

# a typed weight or bias beyond this is refused: the network's outputs would overflow float32
# grids long before, and a person who types it most likely meant something else
MAX_TYPED_VALUE = 1e3
LayerArrays = list[tuple[np.ndarray, np.ndarray]]  # per layer: (fan_in, fan_out), (fan_out,)


class ParameterRef(NamedTuple):
    """Layer l's weight from input row to neuron col, or its bias for neuron col (row None)."""

    layer: int  # 0: the layer reading the input features
    row: int | None  # the input (feature or neuron of the layer before); None: the bias
    col: int  # the neuron of this layer

    def name(self) -> str:
        """micrograd's labels (Network.scalar_graph): 'w2.3.1' or 'b2.3', counted from 1."""
        if self.row is None:
            return f"b{self.layer + 1}.{self.col + 1}"
        return f"w{self.layer + 1}.{self.col + 1}.{self.row + 1}"


def parse_parameter_value(text: str) -> float:
    """A typed number as a float; ValueError with a plain message for anything else."""
    try:
        value = float(text.strip().replace("−", "-"))  # a typographic minus, pasted
    except ValueError:
        raise ValueError(f"not a number: {text.strip()!r}") from None
    check_parameter_value(value)
    return value


def check_parameter_value(value: float) -> None:
    """ValueError unless value is a finite number within ±MAX_TYPED_VALUE."""
    if not math.isfinite(value):
        raise ValueError(f"a weight must be a finite number, got {value!r}")
    if abs(value) > MAX_TYPED_VALUE:
        raise ValueError(f"a weight must lie within ±{MAX_TYPED_VALUE:g}, got {value:g}")


def _moments(optimizer: Optimizer, kind: str) -> dict[str, np.ndarray]:
    """The optimizer's state per parameter, flat, by the name the view shows."""
    if isinstance(optimizer, Adam):  # AdamW too
        return {"first moment (mean)": optimizer.m[0], "second moment (mean square)":
                optimizer.v[0]}
    if isinstance(optimizer, SGD) and kind == "momentum":
        return {"velocity": np.asarray(optimizer.velocity[0])}
    return {}


@dataclass(frozen=True)
class ParameterState:
    """Every weight and bias with its gradient, its last update and the optimizer's state."""

    values: LayerArrays  # copies, per layer
    grads: LayerArrays  # the gradient the last step used (loss and penalty)
    updates: LayerArrays  # what the last step added
    moments: dict[str, LayerArrays]  # e.g. {"velocity": ...} for momentum; empty for SGD
    optimizer: str  # the TrainingConfig's name of it

    @classmethod
    def of(cls, params: FlatParameters, optimizer: Optimizer, kind: str) -> ParameterState:
        """Copies of a session's flat parameters and optimizer state, laid out per layer."""
        layout = params.layer_views
        return cls(values=layout(params.data.copy()), grads=layout(params.grad.copy()),
                   updates=layout(params.data - params.before_update),
                   moments={name: layout(np.array(flat, dtype=np.float64))
                            for name, flat in _moments(optimizer, kind).items()},
                   optimizer=kind)

    def value(self, ref: ParameterRef) -> float:
        """The parameter's value."""
        return _read(self.values, ref)

    def describe(self, ref: ParameterRef) -> list[tuple[str, float]]:
        """(what, number) pairs: value, gradient, last update, then the optimizer's state."""
        rows = [("value", _read(self.values, ref)), ("gradient", _read(self.grads, ref)),
                ("last update", _read(self.updates, ref))]
        rows += [(name, _read(arrays, ref)) for name, arrays in self.moments.items()]
        return rows

    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per column, from the inputs to the outputs."""
        return (self.values[0][0].shape[0], *(b.shape[0] for _, b in self.values))


def _read(arrays: LayerArrays, ref: ParameterRef) -> float:
    weight, bias = arrays[ref.layer]
    return float(bias[ref.col] if ref.row is None else weight[ref.row, ref.col])
