"""One sample's loss as a Value graph, built from the weights the window drew.

Two levels: each neuron's weighted sum as one node (``Value.weighted_sum``, what the app
trains with), or spelled out in micrograd's elementary ``*`` and ``+`` nodes
(``sum((wi*xi for ...), b)``, as micrograd's Neuron does). Labels follow
``engine.layers.Network.scalar_graph``: inputs by feature name, in layer l (from 1) neuron j
(from 1) weights ``w{l}.{j}.{i}``, bias ``b{l}.{j}``, sum ``z{l}.{j}``, activation
``h{l}.{j}``, the output ``out``, the target ``y`` and the ``loss``. A switched-off neuron's
activation is multiplied by a constant ``off`` of 0 into ``h{l}.{j} off``, as the network's
mask holds it at zero: no gradient reaches its weights or leaves through the weights after it.

How a sample becomes a loss is its problem's (``Problem.sample_target`` and ``sample_loss``,
playground/core/problems), as the session trains: every problem type draws the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.tensor import Tensor, no_grad
from engine.value import Value
from playground.core.features import feature_matrix
from playground.core.graph_model import ComputationGraph, Tag, label_constants
from playground.core.problems import TWO_CLASSES, Problem

LEVELS: tuple[str, ...] = ("neuron", "elementary")
RELATIVE_H = 1e-5  # finite-difference step, relative to the leaf's size (at least 1)
Layer = tuple[np.ndarray, np.ndarray]  # weight (fan_in, fan_out), bias (fan_out,)

@dataclass(frozen=True)
class NetworkState:
    """The network as the window drew it: weights with the spec, loss and problem they belong to."""

    features: tuple[str, ...]
    activations: tuple[str, ...]  # one per hidden layer; the output layer is linear
    weights: tuple[Layer, ...]  # copies, input layer first
    loss: str
    step: int  # optimization steps done when the weights were taken
    epoch: int
    problem: Problem = field(default=TWO_CLASSES)  # its targets, outputs and losses
    # (hidden layer, neuron) pairs, both from 0, whose output training holds at zero
    switched_off: frozenset[tuple[int, int]] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", tuple((np.array(w, dtype=np.float64),
                                                   np.array(b, dtype=np.float64))
                                                  for w, b in self.weights))
        if len(self.activations) != len(self.weights) - 1:
            raise ValueError(f"{len(self.activations)} activations for "
                             f"{len(self.weights) - 1} hidden layers")
        fan_in = len(self.features)
        for w, b in self.weights:
            if w.shape[0] != fan_in or b.shape != (w.shape[1],):
                raise ValueError(f"a layer of shape {w.shape} and bias {b.shape} does not "
                                 f"follow {fan_in} inputs")
            fan_in = w.shape[1]
        object.__setattr__(self, "switched_off", frozenset(self.switched_off))
        for layer, neuron in self.switched_off:
            if not (0 <= layer < len(self.activations)
                    and 0 <= neuron < self.weights[layer][0].shape[1]):
                raise ValueError(f"no neuron {neuron + 1} in hidden layer {layer + 1} to switch "
                                 "off")
        self.problem.check_loss(self.loss)
        if fan_in != self.problem.output_size:
            raise ValueError(f"{fan_in} outputs for {self.problem.name}, which needs "
                             f"{self.problem.output_size}")

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Neurons per layer from the inputs to the output."""
        return (len(self.features), *(w.shape[1] for w, _ in self.weights))

    def same_network(self, other: NetworkState | None) -> bool:
        """True if other has the same features, shape, activations, loss, problem and
        switched-off neurons (not weights)."""
        return other is not None and (self.features, self.layer_sizes, self.activations,
                                      self.loss, self.problem, self.switched_off) == (
            other.features, other.layer_sizes, other.activations, other.loss, other.problem,
            other.switched_off)


@dataclass(frozen=True)
class Sample:
    """What to inspect: a point and its truth (a probe's is chosen by the person)."""

    point: tuple[float, float]  # on the plane, or a function's sample (x, y)
    truth: float  # its class (the class types), its value (regression) or its y (a function)
    where: str = "probe"  # "training point 3", "test point 7" or "probe"


def network_sample_graph(state: NetworkState, sample: Sample,
                         level: str = "neuron") -> ComputationGraph:
    """The sample's loss graph under these weights, after backward(), every node tagged."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    tags: dict[Value, Tag] = {}

    def tagged(value: Value, kind: str, group: str = "") -> Value:
        tags[value] = (kind, group)
        return value

    row = _feature_row(state, sample)
    hs = [tagged(Value(float(v), label=name), "input")
          for v, name in zip(row, state.features, strict=True)]
    last = len(state.weights)
    for l, (weight, bias) in enumerate(state.weights, start=1):
        activation = state.activations[l - 1] if l < last else "linear"
        outs = []
        for j in range(weight.shape[1]):
            group = f"{l}.{j + 1}"
            ws = [tagged(Value(float(w), label=f"w{group}.{i + 1}"), "weight", group)
                  for i, w in enumerate(weight[:, j])]
            b = tagged(Value(float(bias[j]), label=f"b{group}"), "bias", group)
            if level == "neuron":
                z = Value.weighted_sum(ws, hs, b)
            else:  # micrograd's Neuron: sum((wi * xi for wi, xi in zip(w, x)), b)
                z = b
                for w, h in zip(ws, hs, strict=True):
                    z = tagged(z + tagged(w * h, "sum", group), "sum", group)
            tagged(z, "sum", group).label = f"z{group}"
            out = z if activation == "linear" else tagged(getattr(z, activation)(), "activation",
                                                          group)
            out.label = (f"out{j + 1}" if weight.shape[1] > 1 else "out") if l == last \
                else f"h{group}"
            if (l - 1, j) in state.switched_off:  # held at zero, as the network's mask does
                out = tagged(out * tagged(Value(0.0, label="off"), "constant"), "activation",
                             group)
                out.label = f"h{group} off"
            outs.append(out)
        hs = outs
    loss = tagged(state.problem.sample_loss(hs, _target_node(state, sample, tagged), state.loss),
                  "loss")
    loss.label = "loss"
    label_constants(loss)
    loss.backward()
    title = f"{sample.where} ({sample.point[0]:.3g}, {sample.point[1]:.3g})"
    return ComputationGraph.from_root(
        loss, lambda v: tags.get(v, ("op" if v._prev else "constant", "")), title)


def network_finite_differences(state: NetworkState, sample: Sample) -> dict[str, float]:
    """d(loss)/d(leaf) by central differences for every input, weight and bias, by label.

    All nudged copies of the network go through at once: copy 2k has leaf k moved up by h,
    copy 2k+1 down by h. A nudged weight changes one neuron's sum by h times its input, so
    each layer is one matrix product for every copy and a fix-up of the nudged entries.
    """
    row = _feature_row(state, sample)
    leaves: list[tuple[str, int, int, int]] = []  # (label, layer (0: inputs), i, j), by layer
    values: list[float] = []
    for i, name in enumerate(state.features):
        leaves.append((name, 0, i, -1))
        values.append(row[i])
    for l, (weight, bias) in enumerate(state.weights, start=1):
        for j in range(weight.shape[1]):
            for i in range(weight.shape[0]):
                leaves.append((f"w{l}.{j + 1}.{i + 1}", l, i, j))
                values.append(weight[i, j])
            leaves.append((f"b{l}.{j + 1}", l, -1, j))
            values.append(bias[j])
    base = np.array(values)  # (K,)
    h = RELATIVE_H * np.maximum(1.0, np.abs(base))  # (K,)
    delta = np.stack([h, -h], axis=1).ravel()  # (2K,): +h, -h per leaf
    layer_of = np.repeat([leaf[1] for leaf in leaves], 2)  # (2K,)
    i_of = np.repeat([leaf[2] for leaf in leaves], 2)  # (2K,)
    j_of = np.repeat([leaf[3] for leaf in leaves], 2)  # (2K,)
    copies = np.arange(len(delta))  # (2K,)

    x = np.repeat(row[None, :], len(delta), axis=0)  # (2K, F)
    nudged = layer_of == 0
    x[copies[nudged], i_of[nudged]] += delta[nudged]
    problem = state.problem
    target = problem.sample_target(sample.truth, state.loss)
    with no_grad():
        for l, (weight, bias) in enumerate(state.weights, start=1):
            z = x @ weight + bias  # (2K, fan_out)
            mine = layer_of == l
            weights_of = mine & (i_of >= 0)
            z[copies[weights_of], j_of[weights_of]] += (
                delta[weights_of] * x[copies[weights_of], i_of[weights_of]])
            biases_of = mine & (i_of < 0)
            z[copies[biases_of], j_of[biases_of]] += delta[biases_of]
            activation = state.activations[l - 1] if l < len(state.weights) else "linear"
            x = z if activation == "linear" else getattr(Tensor(z), activation)().data
            x[:, [j for layer, j in state.switched_off if layer == l - 1]] = 0.0  # held at zero
        outputs = [Tensor(x[:, k]) for k in range(x.shape[1])]  # (2K,) each
        losses = problem.sample_loss(outputs, target, state.loss).data  # (2K,)
    slopes = (losses[0::2] - losses[1::2]) / (2 * h)  # (K,)
    return {leaf[0]: float(s) for leaf, s in zip(leaves, slopes, strict=True)}


def _target_node(state: NetworkState, sample: Sample,
                 tagged: Callable[[Value, str], Value]) -> Any:
    """The sample's target as the loss takes it: a labelled constant "y", or a class index."""
    target = state.problem.sample_target(sample.truth, state.loss)
    if state.problem.n_classes and state.problem.output_size > 1:
        return target  # softmax losses pick the target's score by its index
    return tagged(Value(float(target), label="y"), "constant")


def _feature_row(state: NetworkState, sample: Sample) -> np.ndarray:
    """The network's input for the sample's point: (F,)."""
    return feature_matrix(np.asarray(sample.point, dtype=np.float64).reshape(1, 2),
                          state.features)[0]
