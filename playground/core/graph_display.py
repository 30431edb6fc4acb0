"""What the inspector draws of a ComputationGraph: micrograd's draw_dot picture, with collapse.

As in micrograd's ``draw_dot``, every value is a box and every value computed by an op has
a small op node in front of it: each use of a value is an edge into its user's op node, and
the op node has one edge to the value it computes. A collapsed neuron is one node standing
for its output, with the edges of its inputs and its users.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.graph_model import ComputationGraph

VALUE, OP, NEURON = 0, 1, 2  # kinds of drawn node
COLLAPSE_ABOVE = 250  # value nodes; a bigger graph opens with every neuron collapsed


@dataclass(frozen=True, eq=False)
class DisplayGraph:
    """The drawn nodes and edges; each drawn node shows one value of the graph."""

    kinds: np.ndarray  # (D,) int8: VALUE, OP or NEURON
    values: np.ndarray  # (D,) int: the value shown (an op: what it computes; a neuron: its output)
    groups: tuple[str, ...]  # (D,) the neuron group of a NEURON node, "" for the others
    edges: np.ndarray  # (E, 2) int: drawn edges, in the direction of the computation
    box_of: np.ndarray  # (N,) drawn node showing each value: its box or its neuron, -1 if hidden
    op_of: np.ndarray  # (N,) drawn op node of each value, -1 for leaves and hidden values

    def __len__(self) -> int:
        return len(self.kinds)


def default_collapsed(graph: ComputationGraph) -> frozenset[str]:
    """Every neuron when the graph is too big to read whole, else none."""
    return frozenset(graph.group_names) if len(graph) > COLLAPSE_ABOVE else frozenset()


def neuron_output(graph: ComputationGraph, group: str) -> int:
    """The node a neuron passes on: the last of its nodes (its activation, or its sum)."""
    return max(i for i, g in enumerate(graph.groups) if g == group)


def display_graph(graph: ComputationGraph, collapsed: frozenset[str] = frozenset()) -> DisplayGraph:
    """The drawn nodes of graph with the neurons in collapsed shown as one node each."""
    n = len(graph)
    groups = np.array(graph.groups, dtype=object)
    hidden = np.isin(groups, list(collapsed)) if collapsed else np.zeros(n, dtype=bool)  # (N,)
    kinds: list[int] = []
    values: list[int] = []
    drawn_groups: list[str] = []
    box_of = np.full(n, -1, dtype=np.int64)
    op_of = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        if hidden[i]:
            continue
        box_of[i] = len(kinds)
        kinds.append(VALUE)
        values.append(i)
        drawn_groups.append("")
        if not graph.is_leaf(i):
            op_of[i] = len(kinds)
            kinds.append(OP)
            values.append(i)
            drawn_groups.append("")
    neuron_of: dict[str, int] = {}
    for group in (g for g in graph.group_names if g in collapsed):
        neuron_of[group] = len(kinds)
        out = neuron_output(graph, group)
        box_of[np.flatnonzero(groups == group)] = -1
        box_of[out] = len(kinds)
        kinds.append(NEURON)
        values.append(out)
        drawn_groups.append(group)

    edges: list[tuple[int, int]] = []
    into_neurons: set[tuple[int, int]] = set()
    for child, parent in graph.edges:
        if hidden[parent]:
            if hidden[child] and groups[child] == groups[parent]:
                continue  # inside one collapsed neuron
            source = box_of[child] if not hidden[child] else neuron_of[groups[child]]
            target = neuron_of[groups[parent]]
            if (source, target) not in into_neurons:  # one edge per input of the neuron
                into_neurons.add((source, target))
                edges.append((source, target))
        else:
            source = box_of[child] if not hidden[child] else neuron_of[groups[child]]
            edges.append((source, op_of[parent]))
    edges += [(op_of[i], box_of[i]) for i in range(n) if op_of[i] >= 0]
    return DisplayGraph(kinds=np.array(kinds, dtype=np.int8),
                        values=np.array(values, dtype=np.int64),
                        groups=tuple(drawn_groups),
                        edges=np.array(edges, dtype=np.int64).reshape(-1, 2),
                        box_of=box_of, op_of=op_of)


def drawn_node(graph: ComputationGraph, display: DisplayGraph, value: int) -> int:
    """The drawn node showing a value: its box, or the neuron it is collapsed into (-1: none)."""
    if display.box_of[value] >= 0:
        return int(display.box_of[value])
    group = graph.groups[value]
    return next((d for d, g in enumerate(display.groups) if g and g == group), -1)


def find_labels(graph: ComputationGraph, display: DisplayGraph, text: str) -> list[int]:
    """Drawn boxes whose label contains text (any case), in drawing order."""
    needle = text.strip().lower()
    if not needle:
        return []
    return [d for d in range(len(display)) if display.kinds[d] != OP
            and needle in graph.labels[display.values[d]].lower()]


def hidden_by_kind(graph: ComputationGraph, display: DisplayGraph,
                   kinds: set[str]) -> np.ndarray:
    """(D,) True for the drawn nodes of these kinds, each op node with the value it computes."""
    hidden = np.array([graph.kinds[v] in kinds for v in display.values], dtype=bool)
    ops = display.kinds == OP
    hidden[ops] = hidden[display.box_of[display.values[ops]]]
    return hidden


def related_nodes(display: DisplayGraph, d: int) -> set[int]:
    """Drawn node d, every node it comes from and every node it feeds."""
    found = {d}
    for source, target in ((1, 0), (0, 1)):  # walk edges backwards, then forwards
        frontier = np.array([d])
        seen = np.zeros(len(display), dtype=bool)
        while len(frontier):
            nxt = display.edges[np.isin(display.edges[:, source], frontier), target]
            frontier = np.unique(nxt[~seen[nxt]])
            seen[frontier] = True
        found.update(np.flatnonzero(seen).tolist())
    return found
