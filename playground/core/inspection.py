"""The inspector's state, Qt-free: what is inspected, its graph, the stepper and the check.

Two sources: one sample's loss under the network's weights (a NetworkState, taken whole from
what the window drew, so weights are never paired with another spec or loss), or the
scratchpad's lines. Every change rebuilds the graph and says how much changed: the
structure (the view rebuilds its scene and layout) or only the numbers (it updates the texts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.backprop_stepper import BackpropStepper
from playground.core.graph_display import DisplayGraph, default_collapsed, display_graph
from playground.core.graph_model import ComputationGraph, GradientCheck, check_gradients
from playground.core.sample_graph import (
    LEVELS,
    NetworkState,
    Sample,
    network_finite_differences,
    network_sample_graph,
)
from playground.core.scratchpad import EXAMPLES, Scratchpad, parse_scratchpad

NETWORK, SCRATCHPAD = "network", "scratchpad"
STRUCTURE, NUMBERS, NOTHING = "structure", "numbers", "nothing"  # what a change changed


TRAINING, TEST = "training point", "test point"


def split_sample(points: np.ndarray, truth: np.ndarray, is_test: np.ndarray, split: str,
                 index: int) -> Sample | None:
    """Point index (from 1) of a split as a Sample, None if the split has no such point.

    truth (N,) is every point's class, value or y (DatasetSnapshot.truth).
    """
    mask = is_test if split == TEST else ~is_test
    rows = np.flatnonzero(mask)
    if not 1 <= index <= len(rows):
        return None
    row = rows[index - 1]
    return Sample((float(points[row, 0]), float(points[row, 1])), float(truth[row]),
                  f"{split} {index}")


def sample_at(points: np.ndarray, truth: np.ndarray, is_test: np.ndarray, x: float, y: float,
              radius: float, probe_truth: float, with_test: bool = True) -> Sample:
    """The point nearest (x, y) within radius (test points only if with_test), else a probe
    there whose truth is probe_truth."""
    shown = np.ones(len(points), dtype=bool) if with_test else ~is_test
    if shown.any():
        distance = np.where(shown, np.hypot(points[:, 0] - x, points[:, 1] - y), np.inf)  # (N,)
        row = int(distance.argmin())
        if distance[row] <= radius:
            split = TEST if is_test[row] else TRAINING
            index = int(np.count_nonzero((is_test == is_test[row])[:row + 1]))
            return Sample((float(points[row, 0]), float(points[row, 1])), float(truth[row]),
                          f"{split} {index}")
    return Sample((float(x), float(y)), float(probe_truth), "probe")


@dataclass(frozen=True)
class Built:
    """One build: the graph, what is drawn of it, and its gradient check."""

    graph: ComputationGraph
    display: DisplayGraph
    check: GradientCheck


class Inspection:
    """What the inspector shows; every setter rebuilds and returns STRUCTURE, NUMBERS or NOTHING."""

    def __init__(self) -> None:
        self.mode = NETWORK
        self.level = LEVELS[0]
        self.network: NetworkState | None = None
        self.sample: Sample | None = None
        self.scratchpad: Scratchpad = parse_scratchpad(next(iter(EXAMPLES.values())))
        self.collapsed: frozenset[str] | None = None  # None: the default for the graph's size
        self.built: Built | None = None
        self._drawn: frozenset[str] | None = None  # the collapsed neurons of built.display
        self.stepper: BackpropStepper | None = None
        self.message = "pick a point: Alt+click on the plot, or choose one above"

    # ---- setters ----------------------------------------------------------------------------

    def set_mode(self, mode: str) -> str:
        """Inspect a network sample (NETWORK) or the scratchpad (SCRATCHPAD)."""
        if mode not in (NETWORK, SCRATCHPAD):
            raise ValueError(f"unknown mode {mode!r}")
        if mode == self.mode:
            return NOTHING
        self.mode = mode
        self.collapsed = None
        return self._rebuild()

    def set_network(self, state: NetworkState | None) -> str:
        """New weights (and the spec and loss they belong to)."""
        if state is not None and not state.same_network(self.network):
            self.collapsed = None  # another shape: its neurons open as its size suggests
        self.network = state
        return self._rebuild() if self.mode == NETWORK else NOTHING

    def set_sample(self, sample: Sample) -> str:
        """Inspect this sample's loss."""
        self.sample = sample
        return self._rebuild() if self.mode == NETWORK else NOTHING

    def set_level(self, level: str) -> str:
        """Each neuron's sum as one node ("neuron") or as micrograd's * and + ("elementary")."""
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        self.level = level
        return self._rebuild() if self.mode == NETWORK else NOTHING

    def set_scratchpad(self, text: str) -> str:
        """New scratchpad lines; raises ExpressionError and keeps the old ones if they are bad."""
        pad = parse_scratchpad(text)
        pad.graph()  # raises on a value error (log of a negative number...), before adopting
        self.scratchpad = pad
        return self._rebuild() if self.mode == SCRATCHPAD else NOTHING

    def toggle_neuron(self, group: str) -> str:
        """Collapse a neuron into one node, or expand it again."""
        if self.built is None or group not in self.built.graph.group_names:
            return NOTHING
        current = self.collapsed_groups
        self.collapsed = current - {group} if group in current else current | {group}
        return self._rebuild()

    def set_collapsed(self, groups: frozenset[str]) -> str:
        """Collapse exactly these neurons (frozenset() expands every one)."""
        self.collapsed = frozenset(groups)
        return self._rebuild()

    @property
    def collapsed_groups(self) -> frozenset[str]:
        """The neurons drawn as one node each."""
        if self.built is None:
            return frozenset()
        return self.collapsed if self.collapsed is not None else default_collapsed(
            self.built.graph)

    def describe(self, class_names: tuple[str, ...], level_names: dict[str, str],
                 following: bool, training_step: int) -> tuple[str, str]:
        """Two lines for the window: what the graph is of, and where it stands (step, loss)."""
        built = self.built
        if built is None:
            return self.message, ""
        graph = built.graph
        count = f"{len(graph)} values, {len(graph.edges)} uses"
        loss = graph.data[graph.root]
        state = self.network
        if self.mode == SCRATCHPAD or state is None:
            return f"{graph.title} · {count}", f"{graph.labels[graph.root]} = {loss:.4f}"
        truth = self.sample.truth
        what = (class_names[int(truth)] if state.problem.n_classes else f"target {truth:.4g}")
        summary = (f"{graph.title}, {what}: {state.loss} loss, "
                   f"{level_names[self.level]} · {count}")
        if following:
            live = f"following training: step {state.step:,}, epoch {state.epoch:,}"
        else:
            later = f"; training is at step {training_step:,}" if training_step != state.step \
                else ""
            live = f"frozen at step {state.step:,}{later}"
        return summary, f"{live} · loss {loss:.4f}"

    # ---- building ---------------------------------------------------------------------------

    def _rebuild(self) -> str:
        old = self.built
        graph, numeric = self._graph()
        if graph is None:
            self.built = self.stepper = None
            return STRUCTURE if old is not None else NOTHING
        collapsed = self.collapsed if self.collapsed is not None else default_collapsed(graph)
        same = old is not None and old.graph.same_shape(graph)
        display = old.display if same and self._drawn == collapsed else display_graph(
            graph, collapsed)
        self._drawn = collapsed
        self.built = Built(graph, display, check_gradients(graph, numeric))
        self.stepper = BackpropStepper(graph)
        self.message = ""
        return NUMBERS if same and display is old.display else STRUCTURE

    def _graph(self) -> tuple[ComputationGraph | None, dict[str, float]]:
        """The graph to show and the finite differences of its leaves, or None and why not."""
        if self.mode == SCRATCHPAD:
            pad = self.scratchpad
            return pad.graph(), pad.finite_differences()
        if self.network is None:
            self.message = "waiting for the network's weights…"
            return None, {}
        if self.sample is None:
            self.message = "pick a point: Alt+click on the plot, or choose one above"
            return None, {}
        try:
            graph = network_sample_graph(self.network, self.sample, self.level)
        except (ValueError, ZeroDivisionError) as error:
            self.message = f"cannot build the graph: {error}"
            return None, {}
        return graph, network_finite_differences(self.network, self.sample)
