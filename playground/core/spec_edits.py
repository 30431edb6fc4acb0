"""The network view's edits of the network's shape: each a new NetworkSpec and its lineage.

Adding or removing a layer or a neuron from the view names the one it means (remove THIS
neuron, insert a layer HERE), which the shapes alone do not tell; the lineage does, so the
session keeps the weights of every neuron that stays (reshape.carry_over_by_lineage).
"""

from __future__ import annotations

from dataclasses import replace

from playground.core.limits import OFFERED
from playground.core.reshape import Lineage
from playground.core.spec import NetworkSpec

MIN_NEURONS, MAX_NEURONS = (int(n) for n in OFFERED.neurons)
MAX_LAYERS = int(OFFERED.hidden_layers[1])
NEW_LAYER_NEURONS = 4  # TensorFlow Playground's default layer


def _same(spec: NetworkSpec, skip: int | None = None, insert: int | None = None) -> Lineage:
    """Every layer kept whole, except layer skip (removed) or a new one at index insert."""
    old = [(i, tuple(range(n))) for i, n in enumerate(spec.hidden) if i != skip]
    if insert is not None:
        old.insert(insert, None)
    return tuple(old)


def add_neuron(spec: NetworkSpec, layer: int) -> tuple[NetworkSpec, Lineage]:
    """One more neuron at the end of hidden layer `layer` (0 first)."""
    if spec.hidden[layer] >= MAX_NEURONS:
        raise ValueError(f"layer {layer + 1} has {MAX_NEURONS} neurons, the most it can have")
    hidden = list(spec.hidden)
    hidden[layer] += 1
    return replace(spec, hidden=tuple(hidden)), _same(spec)


def remove_neuron(spec: NetworkSpec, layer: int, neuron: int) -> tuple[NetworkSpec, Lineage]:
    """Hidden layer `layer` without neuron `neuron`; the others keep their weights."""
    if spec.hidden[layer] <= MIN_NEURONS:
        raise ValueError(f"layer {layer + 1} has one neuron: remove the layer instead")
    hidden = list(spec.hidden)
    hidden[layer] -= 1
    lineage = list(_same(spec))
    lineage[layer] = (layer, tuple(n for n in range(spec.hidden[layer]) if n != neuron))
    return replace(spec, hidden=tuple(hidden)), tuple(lineage)


def insert_layer(spec: NetworkSpec, index: int) -> tuple[NetworkSpec, Lineage]:
    """A new hidden layer at index (0: first), with its neighbour's activation."""
    if len(spec.hidden) >= MAX_LAYERS:
        raise ValueError(f"the network has {MAX_LAYERS} hidden layers, the most it can have")
    neighbour = spec.activations[min(index, len(spec.hidden) - 1)] if spec.hidden else "tanh"
    hidden = (*spec.hidden[:index], NEW_LAYER_NEURONS, *spec.hidden[index:])
    activations = (*spec.activations[:index], neighbour, *spec.activations[index:])
    return (replace(spec, hidden=hidden, activations=activations),
            _same(spec, insert=index))


def remove_layer(spec: NetworkSpec, index: int) -> tuple[NetworkSpec, Lineage]:
    """The network without hidden layer index; the layers around it keep their neurons."""
    hidden = spec.hidden[:index] + spec.hidden[index + 1:]
    activations = spec.activations[:index] + spec.activations[index + 1:]
    return (replace(spec, hidden=hidden, activations=activations), _same(spec, skip=index))
