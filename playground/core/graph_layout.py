"""Where each drawn node goes: layered by depth, left to right, or force-directed.

Both work on node indices and an (E, 2) array of edges in the direction of the computation,
so they serve any DisplayGraph. The force-directed layout follows the seed notebook
(Veldhuizen 2007, as drawn at verticesandedges.net): every pair of nodes pushes apart and every
edge pulls its ends together, each with a strength the person sets (base and exponent
sliders); one iteration is a few NumPy passes over all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from playground.core.graph_display import OP, DisplayGraph

COLUMN_GAP, ROW_GAP = 36.0, 14.0  # scene units between the layered layout's columns and rows
OP_GAP = 12.0  # the force layout puts an op node this far outside its value's box
ARROW = 9.0  # arrowhead length
CHUNK = 256  # rows of the pair matrix at a time: a (256, N) block stays in the cache


def topological_order(n: int, edges: np.ndarray) -> np.ndarray:
    """Node indices with every edge's source before its target (Kahn's algorithm)."""
    indegree = np.bincount(edges[:, 1], minlength=n) if len(edges) else np.zeros(n, np.int64)
    targets: dict[int, list[int]] = defaultdict(list)
    for s, t in edges:
        targets[int(s)].append(int(t))
    ready = [i for i in range(n) if indegree[i] == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for t in targets[node]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    if len(order) != n:
        raise ValueError("the graph has a cycle")
    return np.array(order, dtype=np.int64)


def columns_and_rows(n: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) of every node: the sinks rightmost, each node left of all its users.

    A node's column comes from its longest path to a sink, so a weight stands just left of the
    sum that uses it. Rows follow the users' mean row (fewer crossing lines), then the order
    of a node's inputs.
    """
    users: dict[int, list[int]] = defaultdict(list)
    slot: dict[int, int] = {}  # place among its first user's inputs: weights, inputs, bias
    used: dict[int, int] = defaultdict(int)
    for child, parent in edges:
        child, parent = int(child), int(parent)
        users[child].append(parent)
        slot.setdefault(child, used[parent])
        used[parent] += 1
    to_sink = np.zeros(n, dtype=np.int64)
    for node in topological_order(n, edges)[::-1]:  # users come first
        to_sink[node] = max((to_sink[p] + 1 for p in users[node]), default=0)
    deepest = int(to_sink.max(initial=0))
    row = np.zeros(n, dtype=np.int64)
    for depth in range(deepest + 1):  # right to left: users are placed before their inputs
        column = [int(i) for i in np.flatnonzero(to_sink == depth)]
        column.sort(key=lambda i: (float(np.mean(row[users[i]])) if users[i] else 0.0,
                                   slot.get(i, 0), i))
        row[column] = np.arange(len(column))
    return deepest - to_sink, row


def layered_layout(n: int, edges: np.ndarray, widths: np.ndarray,
                   heights: np.ndarray) -> np.ndarray:
    """(N, 2) node centres: columns as wide as their widest node, short columns centred."""
    if n == 0:
        return np.zeros((0, 2))
    column, row = columns_and_rows(n, edges)
    n_columns = int(column.max()) + 1
    column_width = np.zeros(n_columns)
    np.maximum.at(column_width, column, widths)
    left = np.concatenate([[0.0], np.cumsum(column_width + COLUMN_GAP)[:-1]])  # (C,)
    pitch = float(heights.max()) + ROW_GAP
    rows_in = np.bincount(column, minlength=n_columns)  # (C,)
    offset = (rows_in.max() - rows_in) / 2.0  # centre short columns
    x = left[column] + column_width[column] / 2.0
    y = (row + offset[column]) * pitch
    return np.column_stack([x, y])


def force_bodies(display: DisplayGraph) -> tuple[np.ndarray, np.ndarray]:
    """The nodes the force layout moves (value boxes, neurons) and the edges between them.

    An op node is not a body of its own: it rides beside the value it computes (place_ops),
    which halves the pairs to push apart and keeps micrograd's picture of op-then-value.
    """
    bodies = np.flatnonzero(display.kinds != OP)
    body_index = np.full(len(display), -1, dtype=np.int64)
    body_index[bodies] = np.arange(len(bodies))
    owner = np.where(display.kinds == OP, display.box_of[display.values], np.arange(len(display)))
    pairs = body_index[owner[display.edges]]  # (E, 2) ends as bodies
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # the op -> value edges fold away
    return bodies, np.unique(pairs, axis=0)


def place_ops(display: DisplayGraph, positions: np.ndarray, sizes: np.ndarray) -> None:
    """Put each op node just outside its value's box, towards its inputs (in place).

    sizes (D, 2) are the drawn nodes' widths and heights.
    """
    ops = np.flatnonzero(display.kinds == OP)
    if len(ops) == 0:
        return
    boxes = display.box_of[display.values[ops]]  # (P,)
    into = display.edges[np.isin(display.edges[:, 1], ops)]  # (K, 2) input -> op
    slot = np.searchsorted(ops, into[:, 1])  # (K,) which op each input feeds
    count = np.bincount(slot, minlength=len(ops)).astype(np.float64)  # (P,)
    mean = np.column_stack([np.bincount(slot, positions[into[:, 0], k], len(ops))
                            for k in (0, 1)]) / np.maximum(count, 1.0)[:, None]  # (P, 2)
    direction = mean - positions[boxes]  # (P, 2)
    length = np.hypot(direction[:, 0], direction[:, 1])[:, None]  # (P, 1)
    unit = np.where(length > 1e-9, direction / np.maximum(length, 1e-9), [[-1.0, 0.0]])
    # where the ray along unit leaves the box grown by the op's half size and the gap: there
    # the op node clears the box on one axis at least
    room = sizes[boxes] / 2 + sizes[ops] / 2 + OP_GAP  # (P, 2)
    with np.errstate(divide="ignore"):
        distance = np.min(room / np.abs(unit), axis=1, keepdims=True)  # (P, 1)
    positions[ops] = positions[boxes] + unit * distance


def edge_segments(positions: np.ndarray, sizes: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """(6E, 2) line segments, three per edge: box border to box border, and an arrowhead.

    positions (D, 2) are node centres, sizes (D, 2) their widths and heights; pairs of rows
    are the ends of one segment.
    """
    p, q = positions[edges[:, 0]], positions[edges[:, 1]]  # (E, 2)
    d = q - p
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)[:, None]  # (E, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # how far along d each end leaves its box: the nearer of its sides
        fp = np.min(sizes[edges[:, 0]] / 2 / np.abs(d), axis=1, keepdims=True)  # (E, 1)
        fq = np.min(sizes[edges[:, 1]] / 2 / np.abs(d), axis=1, keepdims=True)
    start = p + d * np.minimum(fp, 0.5)
    end = q - d * np.minimum(fq, 0.5)
    unit = d / length
    normal = np.column_stack([-unit[:, 1], unit[:, 0]])  # (E, 2)
    back = end - unit * ARROW
    wing1, wing2 = back + normal * ARROW * 0.45, back - normal * ARROW * 0.45
    return np.stack([start, end, end, wing1, end, wing2], axis=1).reshape(-1, 2)


@dataclass(frozen=True)
class ForceSettings:
    """Strengths: every pair pushes apart with repulsion / distance, every edge pulls its ends
    together with attraction * distance**2."""

    repulsion: float = 5e4
    attraction: float = 5e-2
    start_temperature: float = 80.0  # the largest move of one iteration at the start (scene units)
    cooling: float = 0.97  # the largest move shrinks by this each iteration
    min_temperature: float = 0.3  # below this the layout has settled

    @property
    def edge_length(self) -> float:
        """Where one edge's pull equals its ends' push: (repulsion / attraction) ** (1/3)."""
        return float(np.cbrt(self.repulsion / self.attraction))


class ForceLayout:
    """A force-directed layout of points joined by edges, moved one iteration at a time."""

    def __init__(self, positions: np.ndarray, edges: np.ndarray,
                 settings: ForceSettings | None = None, seed: int = 0,
                 aspect: float = 1.0) -> None:
        rng = np.random.default_rng(seed)
        # the forces act in a space squeezed across by aspect, so wide boxes end up farther
        # apart side by side than one above the other
        self._scale = np.array([aspect, 1.0])
        # a little seeded jitter, so nodes that start in one place can part
        self._p = np.asarray(positions, dtype=np.float64) / self._scale + rng.uniform(
            -1.0, 1.0, (len(positions), 2))  # (B, 2)
        self.edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)  # (E, 2)
        self.settings = settings or ForceSettings()
        self.temperature = self.settings.start_temperature

    def set_settings(self, settings: ForceSettings) -> None:
        """New strengths; the layout warms up again to find its new balance."""
        self.settings = settings
        self.temperature = settings.start_temperature

    @property
    def positions(self) -> np.ndarray:
        """(B, 2) where the nodes are now."""
        return self._p * self._scale

    @property
    def settled(self) -> bool:
        """True once the largest move has cooled below the settings' minimum."""
        return self.temperature <= self.settings.min_temperature

    def step(self) -> float:
        """One iteration; returns the largest distance a node moved."""
        p = self._p
        n = len(p)
        if n < 2:
            return 0.0
        force = self.settings.repulsion * _repulsion(p)  # (B, 2)
        if len(self.edges):
            a, b = self.edges[:, 0], self.edges[:, 1]
            d = p[b] - p[a]  # (E, 2)
            pull = self.settings.attraction * d * np.hypot(d[:, 0], d[:, 1])[:, None]  # (E, 2)
            for k in (0, 1):
                force[:, k] += np.bincount(a, pull[:, k], n) - np.bincount(b, pull[:, k], n)
        length = np.hypot(force[:, 0], force[:, 1])  # (B,)
        scale = np.minimum(1.0, self.temperature / np.maximum(length, 1e-12))  # (B,)
        move = force * scale[:, None]
        p += move
        self.temperature = max(self.temperature * self.settings.cooling,
                               self.settings.min_temperature)
        return float(np.max(length * scale))


def _repulsion(p: np.ndarray) -> np.ndarray:
    """sum over j of (p_i - p_j) / |p_i - p_j|**2 for every i: (B, 2), float32 inside.

    |p_i - p_j|**2 = |p_i|**2 + |p_j|**2 - 2 p_i.p_j takes one matrix product per block of rows;
    coordinates are centred first so float32 keeps the close pairs (the ones that matter).
    """
    q = (p - p.mean(axis=0)).astype(np.float32)  # (B, 2)
    sq = np.einsum("ij,ij->i", q, q)  # (B,)
    out = np.empty_like(q)
    for start in range(0, len(q), CHUNK):
        block = q[start:start + CHUNK]  # (b, 2)
        r2 = block @ q.T  # (b, B)
        r2 *= -2.0
        r2 += sq[start:start + CHUNK, None]
        r2 += sq[None, :]
        np.maximum(r2, 1.0, out=r2)  # a node and itself (and coincident nodes) add nothing
        inv = np.reciprocal(r2, out=r2)
        out[start:start + CHUNK] = block * inv.sum(axis=1)[:, None] - inv @ q
    return out.astype(np.float64)

