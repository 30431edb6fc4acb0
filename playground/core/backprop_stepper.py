"""Backpropagation one node at a time, over a ComputationGraph, with every product shown.

One timeline: the forward pass computes the interior nodes in topological order (each node's
data appears as it is computed), then the loss's grad is set to 1, then the backward pass
visits the interior nodes in reverse topological order; each visit adds local derivative x
upstream grad into every child's grad, which is why micrograd adds with ``+=``: a value used
by several nodes sums one product per use. Every step can be undone. The stepper keeps its own
grads; the graph's (those of backward()) are what it reaches at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.graph_model import ComputationGraph

FORWARD, SEED, BACKWARD = "forward", "seed", "backward"


@dataclass(frozen=True)
class Contribution:
    """What one step added into one child's grad."""

    child: int
    local: float  # d(node)/d(child)
    product: float  # local * upstream, added to the child's grad
    before: float  # the child's grad before the step
    after: float  # ... and after: the running sum
    arrived: int  # products the child has received so far, this one included
    uses: int  # how many products it will receive in all (its number of uses)


@dataclass(frozen=True)
class StepRecord:
    """One step of the timeline: which node, what it passed back, and a sentence about it."""

    phase: str  # FORWARD, SEED or BACKWARD
    node: int
    upstream: float  # the node's grad when it passes it back (BACKWARD), 1 for SEED
    contributions: tuple[Contribution, ...]
    note: str


class BackpropStepper:
    """Steps through the forward and backward pass of a graph; opens at the end."""

    def __init__(self, graph: ComputationGraph) -> None:
        self.graph = graph
        self.interior = [i for i in range(len(graph)) if not graph.is_leaf(i)]  # topological
        self.forward_steps = len(self.interior)
        self.total = 2 * len(self.interior) + 1  # forward, seed, backward
        self.position = self.total
        self.grad = graph.grad.copy()  # (N,) the grads shown
        self.known = np.ones(len(graph), dtype=bool)  # (N,) data computed yet
        self.received = graph.uses.copy()  # (N,) products each node has received
        self._records: list[StepRecord] | None = None  # made on the first step back

    @property
    def last(self) -> StepRecord | None:
        """The step done last (the highlighted one), None at the start or when opened."""
        return self._records[-1] if self._records else None

    @property
    def phase(self) -> str:
        """What the next step does: FORWARD, SEED, BACKWARD, or "done"."""
        if self.position < self.forward_steps:
            return FORWARD
        if self.position == self.forward_steps:
            return SEED
        return BACKWARD if self.position < self.total else "done"

    def step(self) -> StepRecord | None:
        """Do the next step; None at the end."""
        if self.position >= self.total:
            return None
        self._ensure_records()
        record = self._next_record()
        self._apply(record)
        return record

    def back(self) -> StepRecord | None:
        """Undo the last step; None at the start."""
        if self.position == 0:
            return None
        self._ensure_records()
        record = self._records.pop()
        self._undo(record)
        return record

    def run_to_end(self) -> None:
        """Every remaining step (the grads then equal backward()'s)."""
        while self.step() is not None:
            pass

    def reset_grads(self) -> None:
        """Every grad back to 0 with the forward pass done: backward starts at the next step."""
        self.go_to(self.forward_steps)

    def restart(self) -> None:
        """Back to the start: only the leaves known, every grad 0."""
        self.go_to(0)

    def go_to(self, position: int) -> None:
        """Replay the timeline from the start up to position."""
        self.position = 0
        self.grad = np.zeros(len(self.graph))
        self.known = np.array([self.graph.is_leaf(i) for i in range(len(self.graph))])
        self.received = np.zeros(len(self.graph), dtype=np.int64)
        self._records = []
        for _ in range(max(0, min(position, self.total))):
            self._apply(self._next_record())

    # ---- internals --------------------------------------------------------------------------

    def _ensure_records(self) -> None:
        """Replay to where the stepper stands, once, so every step done can be undone."""
        if self._records is None:
            self.go_to(self.position)

    def _next_record(self) -> StepRecord:
        position, graph = self.position, self.graph
        if position < self.forward_steps:
            node = self.interior[position]
            inputs = ", ".join(f"{graph.data[c]:.4g}" for c in graph.children[node])
            return StepRecord(FORWARD, node, 0.0, (), f"forward: {graph.name(node)} = "
                              f"{graph.ops[node]}({inputs}) = {graph.data[node]:.4g}")
        if position == self.forward_steps:
            root = graph.root
            return StepRecord(SEED, root, 1.0, (Contribution(root, 1.0, 1.0, 0.0, 1.0, 1, 1),),
                              f"d {graph.name(root)} / d {graph.name(root)} = 1: "
                              "backpropagation starts from the output with grad 1")
        node = self.interior[self.total - 1 - position]
        return self._backward_record(node)

    def _backward_record(self, node: int) -> StepRecord:
        graph = self.graph
        upstream = float(self.grad[node])
        local = graph.local[node]
        if local is None:
            return self._closure_record(node, upstream)
        running = self.grad.copy()
        arrived = self.received.copy()
        contributions = []
        for child, d in zip(graph.children[node], local, strict=True):
            # a node whose grad is 0 passes nothing back (as backward() does, so 0 * inf
            # never becomes nan)
            product = d * upstream if upstream != 0.0 else 0.0
            before = float(running[child])
            running[child] = before + product
            arrived[child] += 1
            contributions.append(Contribution(child, d, product, before, float(running[child]),
                                              int(arrived[child]), int(graph.uses[child])))
        note = f"backward through {graph.ops[node]}: each child's grad += local × {upstream:.4g}"
        if upstream == 0.0:
            note = "its grad is 0: nothing flows back"
        elif not any(local):
            note = "every local derivative is 0 (a ReLU that is off): nothing flows back"
        return StepRecord(BACKWARD, node, upstream, tuple(contributions), note)

    def _closure_record(self, node: int, upstream: float) -> StepRecord:
        """A node with a _backward closure and no recorded local derivatives: run it whole."""
        graph = self.graph
        value = graph.values[node]
        kids = list(dict.fromkeys(graph.children[node]))  # each child once
        saved = [graph.values[c].grad for c in kids], value.grad
        try:
            for c in kids:
                graph.values[c].grad = 0.0
            value.grad = upstream
            if upstream != 0.0:
                value._backward()
            added = [float(graph.values[c].grad) for c in kids]
        finally:
            for c, grad in zip(kids, saved[0], strict=True):
                graph.values[c].grad = grad
            value.grad = saved[1]
        contributions = []
        for c, product in zip(kids, added, strict=True):
            uses = graph.children[node].count(c)
            before = float(self.grad[c])
            contributions.append(Contribution(
                c, product / upstream if upstream else float("nan"), product, before,
                before + product, int(self.received[c]) + uses, int(graph.uses[c])))
        return StepRecord(BACKWARD, node, upstream, tuple(contributions),
                          f"{graph.ops[node] or 'this op'} is a _backward closure: its local "
                          "derivatives are not recorded, so it is stepped as a whole")

    def _apply(self, record: StepRecord) -> None:
        if record.phase == FORWARD:
            self.known[record.node] = True
        for c in record.contributions:
            self.grad[c.child] = c.after
        if record.phase == BACKWARD:
            for child in self.graph.children[record.node]:
                self.received[child] += 1
        self._records.append(record)
        self.position += 1

    def _undo(self, record: StepRecord) -> None:
        if record.phase == FORWARD:
            self.known[record.node] = False
        for c in reversed(record.contributions):
            self.grad[c.child] = c.before
        if record.phase == BACKWARD:
            for child in self.graph.children[record.node]:
                self.received[child] -= 1
        self.position -= 1


def explain(graph: ComputationGraph, record: StepRecord) -> list[str]:
    """The step in words: its note, then one line per child with the product, and the running
    sum where the child is used more than once."""
    lines = [f"{graph.name(record.node)}: {record.note}"]
    for c in record.contributions if record.phase == BACKWARD else ():
        line = (f"{graph.name(c.child)}.grad += {c.local:.4f} × {record.upstream:.4f} = "
                f"{c.product:.4f}")
        if c.uses > 1:
            line += (f": {c.before:.4f} + {c.product:.4f} = {c.after:.4f}"
                     f" ({c.arrived} of {c.uses} uses)")
        lines.append(line)
    return lines
