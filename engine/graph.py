"""trace(root): the nodes and edges of a Value's computation graph, for drawing it."""

from __future__ import annotations

from dataclasses import dataclass

from engine.value import Value


@dataclass(frozen=True)
class GraphNode:
    """One node as a drawing needs it: a snapshot, so later training does not change it."""

    index: int  # position in trace()'s node list; children come before their parents
    label: str  # the Value's label, "" when it has none
    op: str  # the op that produced it ("+", "wsum", "tanh", ...), "" for a leaf
    data: float
    grad: float


def trace(root: Value) -> tuple[list[GraphNode], list[tuple[int, int]]]:
    """Every node below root (children before parents) and every edge (child, parent).

    Nodes come in a stable order (the same graph always traces the same way) and edges refer
    to them by index. A child used twice by one parent (``a + a``) gives two edges, one per
    use, as both carry gradient. Iterative, so graphs of any depth trace.
    """
    values = root.topological_order()
    index = {value: i for i, value in enumerate(values)}
    nodes = [GraphNode(i, v.label, v._op, v.data, v.grad) for i, v in enumerate(values)]
    edges = [(index[child], index[parent]) for parent in values for child in parent._prev]
    return nodes, edges
