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
