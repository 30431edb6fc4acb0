"""ComputationGraph: a Value graph as arrays, every node tagged, for drawing and stepping.

Nodes come in the engine's topological order (children before parents, the root last) and
edges are one per use, as ``engine.graph.trace`` gives them: a value used twice by one node
(``a + a``) has two edges, since both uses carry gradient back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.value import Value

# what a node is, for colours and the filter; "sum" is a neuron's weighted sum and its parts
KINDS: tuple[str, ...] = ("input", "weight", "bias", "constant", "sum", "activation", "op",
                          "loss")
Tag = tuple[str, str]  # (kind, neuron group: "l.j", or "" outside any neuron)


@dataclass(eq=False)
class ComputationGraph:
    """One root's graph: per node its label, op, kind, group, children and local derivatives."""

    values: list[Value]  # topological order, the root last
    labels: list[str]
    ops: list[str]
    kinds: list[str]
    groups: list[str]
    children: list[tuple[int, ...]]  # per node, the index of each child, one per use
    local: list[tuple[float, ...] | None]  # d(node)/d(child) per use; None: a closure node
    edges: np.ndarray  # (E, 2) int: (child, parent), one per use
    data: np.ndarray  # (N,) each node's value
    grad: np.ndarray  # (N,) d(root)/d(node), as backward() leaves it
    title: str = ""  # what the graph is of, for the window ("training point 3 at step 120")
    uses: np.ndarray = field(init=False)  # (N,) int: how many uses each node has

    def __post_init__(self) -> None:
        self.uses = np.bincount(self.edges[:, 0], minlength=len(self.values)) if len(
            self.edges) else np.zeros(len(self.values), dtype=np.int64)

    @classmethod
    def from_root(cls, root: Value, tag: Callable[[Value], Tag],
                  title: str = "") -> ComputationGraph:
        """Trace root (after backward()) and tag every node with tag(value)."""
        values = root.topological_order()
        index = {value: i for i, value in enumerate(values)}
        children = [tuple(index[c] for c in v._prev) for v in values]
        local = [_local_derivatives(v) for v in values]
        edges = np.array([(c, p) for p, kids in enumerate(children) for c in kids],
                         dtype=np.int64).reshape(-1, 2)  # (E, 2)
        tags = [tag(v) for v in values]
        return cls(values=values, labels=[v.label for v in values], ops=[v._op for v in values],
                   kinds=[k for k, _ in tags], groups=[g for _, g in tags], children=children,
                   local=local, edges=edges,
                   data=np.array([v.data for v in values], dtype=np.float64),
                   grad=np.array([v.grad for v in values], dtype=np.float64), title=title)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def root(self) -> int:
        """Index of the output node (the loss)."""
        return len(self.values) - 1

    def is_leaf(self, i: int) -> bool:
        """True for a node computed from nothing (an input, a weight, a constant)."""
        return not self.children[i]

    def name(self, i: int) -> str:
        """A node's label, or what computes it ("tanh(z1.1)", "w1.1.1 * x1") when it has none."""
        if self.labels[i]:
            return self.labels[i]
        kids = [self.labels[c] or "…" for c in self.children[i]]
        op = self.ops[i]
        if len(kids) == 2 and op in ("+", "-", "*", "/", "**"):
            return f"{kids[0]} {op} {kids[1]}"
        if op.startswith("**"):
            return f"{kids[0]}{op}"
        return f"{op}({', '.join(kids)})" if op else f"{self.data[i]:g}"

    def find(self, label: str) -> int:
        """Index of the node with this label (the last one if several); KeyError if none."""
        for i in range(len(self.labels) - 1, -1, -1):
            if self.labels[i] == label:
                return i
        raise KeyError(label)

    def same_shape(self, other: ComputationGraph) -> bool:
        """True if other has the same nodes and edges: its numbers can replace these in place."""
        return (len(self) == len(other) and self.labels == other.labels
                and self.ops == other.ops and np.array_equal(self.edges, other.edges))

    @property
    def group_names(self) -> list[str]:
        """Every neuron group, layer by layer ("1.1", "1.2", ..., "2.1", ...)."""
        return sorted({g for g in self.groups if g},
                      key=lambda g: [int(p) if p.isdigit() else p for p in g.split(".")])


def _local_derivatives(value: Value) -> tuple[float, ...] | None:
    """A node's recorded local derivatives; None for a node built with a _backward closure."""
    local = getattr(value, "_local", ())
    if value._prev and len(local) != len(value._prev):
        return None
    return tuple(map(float, local))


def label_constants(root: Value) -> None:
    """Give every unlabelled leaf its number as label (micrograd leaves them blank)."""
    for value in root.topological_order():
        if not value._prev and not value.label:
            value.label = f"{value.data:g}"


@dataclass(frozen=True)
class GradientCheck:
    """Each leaf's grad from backpropagation beside a finite-difference estimate."""

    nodes: np.ndarray  # (K,) int: the leaves checked
    backprop: np.ndarray  # (K,) their grad from backward()
    numeric: np.ndarray  # (K,) central differences of the root
    agree: np.ndarray  # (K,) bool

    @property
    def disagreements(self) -> int:
        """How many leaves are flagged."""
        return int(np.count_nonzero(~self.agree))


CHECK_ATOL, CHECK_RTOL = 1e-6, 1e-4  # finite differences are good to ~1e-9 on smooth graphs


def check_gradients(graph: ComputationGraph, numeric: dict[str, float]) -> GradientCheck:
    """Compare graph.grad with numeric derivatives by label (leaves without one are skipped)."""
    nodes = np.array([i for i in range(len(graph)) if graph.is_leaf(i) and graph.labels[i]
                      in numeric], dtype=np.int64)
    backprop = graph.grad[nodes]
    estimate = np.array([numeric[graph.labels[i]] for i in nodes], dtype=np.float64)
    scale = np.maximum(np.abs(backprop), np.abs(estimate))
    with np.errstate(invalid="ignore"):
        agree = np.abs(backprop - estimate) <= CHECK_ATOL + CHECK_RTOL * scale  # nan: False
    return GradientCheck(nodes, backprop, estimate, agree)
