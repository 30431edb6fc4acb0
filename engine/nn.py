"""micrograd's neural-network library on Value: Module, Neuron, Layer, MLP.

Built without an ``rng``, a network draws its weights exactly as micrograd does: Python's
``random.uniform(-1, 1)``, layer by layer, neuron by neuron, weight by weight, biases 0, so code
that calls ``random.seed(1337)`` gets micrograd's network. Beyond micrograd: an activation per
layer, and ``rng=`` (a seed or a numpy Generator) for an initialisation shared with the tensor
layers, so one seed gives the same network in both engines.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.activations import find_activation
from engine.optim import zero_grad
from engine.value import Value, ValueLike

RandomLike = int | np.random.Generator | None


def as_rng(rng: RandomLike) -> np.random.Generator | None:
    """A numpy Generator from a seed or a Generator (used as is); None stays None (micrograd's)."""
    if rng is None or isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def init_layer(nin: int, nout: int,
               rng: np.random.Generator | None) -> tuple[np.ndarray, np.ndarray]:
    """Initial weights and biases of one layer, shared by both engines (micrograd's uniform).

    With rng None the weights come from Python's random module in micrograd's order, neuron
    by neuron; with a Generator they are drawn as one (fan_in, fan_out) array.
    """
    if rng is None:
        rows = [[random.uniform(-1.0, 1.0) for _ in range(nin)] for _ in range(nout)]
        weight = np.array(rows, dtype=np.float64).reshape(nout, nin).T  # (fan_in, fan_out)
    else:
        weight = rng.uniform(-1.0, 1.0, size=(nin, nout))  # (fan_in, fan_out)
    bias = np.zeros(nout)  # (fan_out,)
    return weight, bias


def check_activation(name: str) -> str:
    """Return name if it is a known activation, else raise a ValueError listing them."""
    return find_activation(name).name


def hidden_activations(activation: str | Sequence[str], n_hidden: int) -> list[str]:
    """One activation name per hidden layer from a single name or a list of them."""
    names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
    if len(names) != n_hidden:
        raise ValueError(f"{len(names)} activations given for {n_hidden} hidden layers")
    return [check_activation(a) for a in names]


def layer_plan(nin: int, nouts: Sequence[int],
               activation: str | Sequence[str]) -> list[tuple[int, int, str]]:
    """(fan_in, fan_out, activation) of each layer: hidden layers as asked, a linear output."""
    sizes = [nin, *nouts]
    acts = [*hidden_activations(activation, len(nouts) - 1), "linear"]
    return [(sizes[i], sizes[i + 1], acts[i]) for i in range(len(nouts))]


class Module:
    """Something with parameters (micrograd's base class)."""

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zero."""
        zero_grad(self.parameters())

    def parameters(self) -> list[Any]:
        """Every trainable parameter, in a fixed order."""
        return []


class Neuron(Module):
    """act(w . x + b) as one weighted-sum node and one activation node."""

    def __init__(self, nin: int, nonlin: bool = True, activation: str | None = None,
                 rng: RandomLike = None, weights: Sequence[float] | None = None) -> None:
        if weights is None:
            weights = init_layer(nin, 1, as_rng(rng))[0][:, 0]
        if len(weights) != nin:
            raise ValueError(f"{len(weights)} weights given for a neuron with {nin} inputs")
        self.w = [Value(float(w)) for w in weights]
        self.b = Value(0.0)
        self.activation = check_activation(activation or ("relu" if nonlin else "linear"))
        self.nonlin = self.activation != "linear"

    def __call__(self, x: Sequence[ValueLike]) -> Value:
        """The neuron's output for one input vector."""
        act = Value.weighted_sum(self.w, x, self.b)
        return act if self.activation == "linear" else getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        """Weights, then bias."""
        return [*self.w, self.b]

    def __repr__(self) -> str:
        op = find_activation(self.activation).op  # "ReLU" -> ReLUNeuron(3), as micrograd's
        return f"{op[:1].upper()}{op[1:]}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons reading the same inputs."""

    def __init__(self, nin: int, nout: int, rng: RandomLike = None, **kwargs: Any) -> None:
        weight, _ = init_layer(nin, nout, as_rng(rng))
        self.neurons = [Neuron(nin, weights=weight[:, j], **kwargs) for j in range(nout)]

    def __call__(self, x: Sequence[ValueLike]) -> Value | list[Value]:
        """One output per neuron; a single Value when the layer has one neuron (micrograd)."""
        neurons = self.neurons
        acts = Value.weighted_sums([n.w for n in neurons], x, [n.b for n in neurons])
        activation = neurons[0].activation  # the same for every neuron: they share kwargs
        out = acts if activation == "linear" else list(map(getattr(Value, activation), acts))
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """Parameters of every neuron in order."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: hidden layers with an activation each, a linear output layer."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str | Sequence[str] = "relu",
                 rng: RandomLike = None) -> None:
        gen = as_rng(rng)
        self.layers = [Layer(fan_in, fan_out, rng=gen, activation=act)
                       for fan_in, fan_out, act in layer_plan(nin, nouts, activation)]

    def __call__(self, x: Sequence[ValueLike]) -> Value | list[Value]:
        """Feed one input vector through every layer."""
        for layer in self.layers:
            x = layer(x)
            x = [x] if isinstance(x, Value) and layer is not self.layers[-1] else x
        return x

    def parameters(self) -> list[Value]:
        """Parameters of every layer in order."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
