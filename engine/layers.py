"""Tensor layers: Linear and Network, the batched twins of engine.nn's Layer and MLP.

Same arguments and the same initialisation (``engine.nn.init_layer``, layers first to last), so
one seed gives the same weights in both engines. A Network's forward pass is one fused graph node
(a Linear called alone, one node per layer).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from engine.activations import find_activation
from engine.fused import linear, network
from engine.nn import Module, RandomLike, as_rng, check_activation, init_layer, layer_plan
from engine.tensor import Tensor
from engine.value import Value


class Linear(Module):
    """activation(x @ weight + bias) for a batch: x (batch, nin) -> (batch, nout)."""

    def __init__(self, nin: int, nout: int, activation: str = "linear",
                 rng: RandomLike = None) -> None:
        weight, bias = init_layer(nin, nout, as_rng(rng))
        self.weight = Tensor(weight, requires_grad=True)  # (fan_in, fan_out)
        self.bias = Tensor(bias, requires_grad=True)  # (fan_out,)
        self.activation = check_activation(activation)

    def __call__(self, x: Tensor | np.ndarray) -> Tensor:
        """The layer's output for a batch, as one graph node."""
        x = x if isinstance(x, Tensor) else Tensor(x)
        return linear(x, self.weight, self.bias, self.activation)

    def parameters(self) -> list[Tensor]:
        """Weight, then bias."""
        return [self.weight, self.bias]

    def __repr__(self) -> str:
        nin, nout = self.weight.shape
        return f"Linear({nin}, {nout}, activation={self.activation!r})"


class Network(Module):
    """Linear layers with an activation each for the hidden ones and a linear output layer."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str | Sequence[str] = "relu",
                 rng: RandomLike = None) -> None:
        gen = as_rng(rng)
        self.layers = [Linear(fan_in, fan_out, act, rng=gen)
                       for fan_in, fan_out, act in layer_plan(nin, nouts, activation)]
        # per layer, None or a (fan_out,) array of 1s with a 0 for each switched-off neuron
        self.masks: list[np.ndarray | None] = [None] * len(self.layers)

    def __call__(self, x: Tensor | np.ndarray) -> Tensor:
        """Feed a batch (batch, nin) through every layer -> (batch, nouts[-1]), as one node."""
        x = x if isinstance(x, Tensor) else Tensor(x)
        layers = self.layers
        return network(x, [p for layer in layers for p in (layer.weight, layer.bias)],
                       [layer.activation for layer in layers], self.masks)

    def switch_off(self, neurons: Iterable[tuple[int, int]]) -> None:
        """Hold the output of these (layer, neuron) pairs at zero; every other neuron on.

        Their weights stay as they are; the masks apply to training and prediction alike.
        """
        masks: list[np.ndarray | None] = [None] * len(self.layers)
        for layer, neuron in neurons:
            if masks[layer] is None:
                masks[layer] = np.ones(self.layers[layer].weight.shape[1])  # (fan_out,)
            masks[layer][neuron] = 0.0
        self.masks = masks

    def parameters(self) -> list[Tensor]:
        """Parameters of every layer in order."""
        return [p for layer in self.layers for p in layer.parameters()]

    def predict(self, x: np.ndarray, dtype: type = np.float32) -> np.ndarray:
        """The output for a batch as a plain array, with no graph (the decision grid)."""
        return self.layer_outputs(x, dtype)[-1].T  # (batch, nout)

    def layer_outputs(self, x: np.ndarray, dtype: type = np.float32,
                      out: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
        """Every layer's output for a batch, transposed, with no graph: the input (nin, batch)
        first, then each layer's (fan_out, batch); the last is the network's output.

        Works on the transpose: with a long batch axis last, the bias add and the activation
        run over long contiguous rows instead of one short row per sample, and row j of a
        layer's array is neuron j's output over the whole batch. out, when given, holds an
        array per layer (fan_out, batch) of dtype to write its output into: on a large batch,
        making new arrays every time costs as much as an activation.
        """
        h = np.asarray(x, dtype=dtype).T  # (nin, batch)
        outputs = [h]
        for i, (layer, mask) in enumerate(zip(self.layers, self.masks, strict=True)):
            z = np.matmul(layer.weight.data.T.astype(dtype), h,  # (fan_out, batch)
                          out=None if out is None else out[i])
            z += layer.bias.data.astype(dtype)[:, None]
            h = find_activation(layer.activation).forward(z, z)  # in place: z is not needed again
            if h is not z and out is not None:  # an activation that makes a new array
                np.copyto(z, h)
                h = z
            if mask is not None:
                h *= mask.astype(dtype)[:, None]
            outputs.append(h)
        return outputs

    def scalar_graph(self, x_row: Sequence[float],
                     input_labels: Sequence[str] | None = None) -> Value | list[Value]:
        """The Value graph of one sample with the current weights, every node labelled.

        Inputs are "x1", "x2"... (or input_labels); in layer l (from 1) neuron j (from 1) has
        weights "w{l}.{j}.{i}", bias "b{l}.{j}", weighted sum "z{l}.{j}" and activation
        "h{l}.{j}"; the output layer's nodes are "out" (or "out1", "out2"...). A neuron its mask
        switches off is multiplied by a 0 labelled "off" into "h{l}.{j} off". One output gives
        one Value, several a list, as micrograd's MLP does.
        """
        labels = input_labels or [f"x{i + 1}" for i in range(len(x_row))]
        xs = [Value(float(v), label=name) for v, name in zip(x_row, labels, strict=True)]
        for l, (layer, mask) in enumerate(zip(self.layers, self.masks, strict=True), start=1):
            weight, bias = layer.weight.data, layer.bias.data  # (fan_in, fan_out), (fan_out,)
            last = layer is self.layers[-1]
            outs = []
            for j in range(weight.shape[1]):
                name = f"{l}.{j + 1}"
                ws = [Value(float(w), label=f"w{name}.{i + 1}") for i, w in enumerate(weight[:, j])]
                z = Value.weighted_sum(ws, xs, Value(float(bias[j]), label=f"b{name}"))
                h = z if layer.activation == "linear" else getattr(z, layer.activation)()
                z.label = f"z{name}"
                h.label = (f"out{j + 1}" if weight.shape[1] > 1 else "out") if last else f"h{name}"
                if mask is not None and mask[j] == 0:
                    h = h * Value(0.0, label="off")
                    h.label = f"h{name} off"
                outs.append(h)
            xs = outs
        return xs[0] if len(xs) == 1 else xs

    def __repr__(self) -> str:
        return f"Network of [{', '.join(repr(layer) for layer in self.layers)}]"
