"""Carry trained weights over when the user reshapes the network while it trains.

Hidden layers are matched by index and the output layer with the output layer, so adding a
hidden layer at the end leaves every existing layer in place. Where two matched layers differ in
size, the overlapping block is copied and the rest keeps its fresh initialisation. The first
layer's rows are matched by feature name, so toggling a feature keeps the rows of the others.
"""

from __future__ import annotations

import numpy as np

from playground.core.spec import NetworkSpec

LayerWeights = tuple[np.ndarray, np.ndarray]  # W (fan_in, fan_out), b (fan_out,)


def _matched_layers(old: NetworkSpec, new: NetworkSpec) -> list[tuple[int, int]]:
    """(old index, new index) pairs: hidden layers by position, then output with output."""
    shared_hidden = min(len(old.hidden), len(new.hidden))
    return [(i, i) for i in range(shared_hidden)] + [(len(old.hidden), len(new.hidden))]


def _input_rows(old: NetworkSpec, new: NetworkSpec, old_index: int,
                new_index: int, old_fan_in: int, new_fan_in: int) -> list[tuple[int, int]]:
    """(old row, new row) pairs of a matched layer's weight matrix that mean the same input."""
    if old_index == 0 and new_index == 0:
        # first layer on both sides: rows are input features, matched by name
        return [(old.features.index(f), r) for r, f in enumerate(new.features)
                if f in old.features]
    if old_index == 0 or new_index == 0:
        return []  # one side reads features, the other hidden units: nothing in common
    shared = min(old_fan_in, new_fan_in)
    return [(r, r) for r in range(shared)]


def carry_over(old_spec: NetworkSpec, old_layers: list[LayerWeights],
               new_spec: NetworkSpec, new_layers: list[LayerWeights]) -> None:
    """Copy what still applies from old_layers into new_layers, in place."""
    for old_i, new_i in _matched_layers(old_spec, new_spec):
        old_w, old_b = old_layers[old_i]
        new_w, new_b = new_layers[new_i]
        cols = min(old_w.shape[1], new_w.shape[1])
        for old_r, new_r in _input_rows(old_spec, new_spec, old_i, new_i,
                                        old_w.shape[0], new_w.shape[0]):
            new_w[new_r, :cols] = old_w[old_r, :cols]
        new_b[:cols] = old_b[:cols]


# ---- reshapes made from the network view: which old layer and neuron each new one continues

# per new hidden layer: None (a new layer) or (old hidden layer, per neuron the old neuron it
# continues or None for a new one). Inserting a layer, or removing one neuron of the middle,
# cannot be told from the shapes alone; the network view says what it did.
LayerSource = tuple[int, tuple[int | None, ...]] | None
Lineage = tuple[LayerSource, ...]


def positional_lineage(old: NetworkSpec, new: NetworkSpec) -> Lineage:
    """Hidden layers and neurons matched by position, as carry_over matches them."""
    return tuple((i, tuple(range(n))) if i < len(old.hidden) else None
                 for i, n in enumerate(new.hidden))


def compose_lineages(first: Lineage | None, second: Lineage | None) -> Lineage | None:
    """The lineage of two reshapes in a row (None: by position), for a merged message."""
    if first is None or second is None:  # by position: the other says it all
        return second if first is None else first
    composed = []
    for source in second:
        middle = first[source[0]] if source is not None and source[0] < len(first) else None
        if source is None or middle is None:
            composed.append(None)
            continue
        old_layer, old_neurons = middle
        composed.append((old_layer, tuple(
            old_neurons[n] if n is not None and n < len(old_neurons) else None
            for n in source[1])))
    return tuple(composed)


def _source_of(lineage: Lineage, layer: int, neuron: int) -> tuple[int, int] | None:
    """The old (hidden layer, neuron) that new hidden neuron (layer, neuron) continues."""
    source = lineage[layer] if layer < len(lineage) else None
    if source is None or neuron >= len(source[1]) or source[1][neuron] is None:
        return None
    return source[0], source[1][neuron]


def _columns(old: NetworkSpec, new: NetworkSpec, lineage: Lineage, n_outputs: int
             ) -> list[tuple[int, list[tuple[int, int]]] | None]:
    """Per new column (inputs, each hidden layer, outputs): the old column it continues (-1
    for the inputs) and its (new neuron, old neuron) pairs; None for a new layer."""
    columns: list[tuple[int, list[tuple[int, int]]] | None] = [
        (-1, [(r, old.features.index(f)) for r, f in enumerate(new.features)
              if f in old.features])]
    for layer, size in enumerate(new.hidden):
        source = lineage[layer] if layer < len(lineage) else None
        if source is None or source[0] >= len(old.hidden):
            columns.append(None)
            continue
        old_layer, old_size = source[0], old.hidden[source[0]]
        pairs = [(n, old_n) for n, old_n in enumerate(source[1][:size])
                 if old_n is not None and old_n < old_size]
        columns.append((old_layer, pairs) if pairs else None)
    columns.append((len(old.hidden), [(n, n) for n in range(n_outputs)]))
    return columns


def carry_over_by_lineage(old_spec: NetworkSpec, old_layers: list[LayerWeights],
                          new_spec: NetworkSpec, new_layers: list[LayerWeights],
                          lineage: Lineage) -> None:
    """Copy into new_layers, in place, the biases of every neuron that continues an old one and
    the weights between two of them that were connected in the old network."""
    columns = _columns(old_spec, new_spec, lineage, new_layers[-1][1].shape[0])
    for layer, (new_w, new_b) in enumerate(new_layers):
        below, here = columns[layer], columns[layer + 1]
        if here is None:
            continue
        old_layer, pairs = here
        old_w, old_b = old_layers[old_layer]
        new_cols, old_cols = (list(side) for side in zip(*pairs, strict=True))
        new_b[new_cols] = old_b[old_cols]
        if below is None or below[0] != old_layer - 1 or not below[1]:
            continue  # the inputs of this layer are new: its weights start from the seed
        new_rows, old_rows = (list(side) for side in zip(*below[1], strict=True))
        new_w[np.ix_(new_rows, new_cols)] = old_w[np.ix_(old_rows, old_cols)]


def carried_neurons(old_spec: NetworkSpec, new_spec: NetworkSpec, lineage: Lineage | None,
                    neurons: frozenset[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """The new (hidden layer, neuron) pairs of the old ones in neurons that live on."""
    lineage = positional_lineage(old_spec, new_spec) if lineage is None else lineage
    return frozenset((layer, n) for layer, size in enumerate(new_spec.hidden)
                     for n in range(size)
                     if _source_of(lineage, layer, n) in neurons)
