"""Where the network view puts its nodes: columns of squares that shrink to discs, never overlap.

Pure arithmetic on the widget's size and the column sizes, so the tests check the geometry
without painting, and the view makes its Qt shapes from it once per size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MARGIN = 8.0  # around the drawing
LABEL_WIDTH = 40.0  # left of the input column, for the feature names
RIGHT_ROOM = 12.0  # right of the outputs, so their caption fits over them
HEADER = 62.0  # above the columns: a caption line and the neuron buttons (two rows at most)
FOOTER = 48.0  # below them: the layer buttons (two rows at most)
MAX_NODE = 72.0  # a thumbnail's side at most
MIN_THUMBNAIL = 18.0  # below this side a node is a plain disc
MIN_NODE = 4.0  # a disc's diameter at least (the widget's minimum height keeps it so)
GAP = 0.25  # between two nodes of a column, as a share of their side ...
MIN_GAP = 2.0  # ... and at least this many pixels
NODE_SHARE = 0.55  # a node is at most this share of the distance between two columns
MAX_COLUMN = 16  # neurons in the largest column the designer allows


@dataclass(frozen=True)
class NetworkGeometry:
    """Node centres per column and the side every node has."""

    width: float  # of the widget
    node: float  # side of a thumbnail, or diameter of a disc
    thumbnails: bool  # True: squares showing the neuron's output; False: plain discs
    xs: tuple[float, ...]  # centre x of each column, inputs first
    centres: tuple[np.ndarray, ...]  # per column (n, 2) node centres (x, y)
    top: float  # y of the columns' area (below the header)
    bottom: float  # ... and of its bottom (above the footer)

    def node_rects(self) -> np.ndarray:
        """(n_nodes, 4) left, top, width, height of every node, column by column."""
        centres = np.concatenate(self.centres) if self.centres else np.zeros((0, 2))
        half = self.node / 2
        return np.column_stack([centres - half, np.full((len(centres), 2), self.node)])

    def spacing(self) -> float:
        """Distance between two neighbouring columns."""
        return self.xs[1] - self.xs[0] if len(self.xs) > 1 else 0.0


def minimum_height(largest_column: int = MAX_COLUMN) -> float:
    """The height at which largest_column discs of MIN_NODE still fit with their gaps."""
    return HEADER + FOOTER + 2 * MARGIN + largest_column * (MIN_NODE + MIN_GAP)


def network_geometry(width: float, height: float, sizes: tuple[int, ...]) -> NetworkGeometry:
    """Columns of sizes[i] nodes spread over width, each centred in height."""
    left, right = MARGIN + LABEL_WIDTH, width - MARGIN - RIGHT_ROOM
    top, bottom = MARGIN + HEADER, height - MARGIN - FOOTER
    largest = max(sizes, default=1)
    # the first and last column's half-nodes stay inside too, so with node = share * spacing
    # the columns span (right - left - node)
    by_width = NODE_SHARE * (right - left) / (max(len(sizes) - 1, 1) + NODE_SHARE)
    by_height = (bottom - top) / (largest * (1 + GAP))
    node = min(MAX_NODE, by_height, by_width)
    gap = max(node * GAP, MIN_GAP)
    if node + gap > (bottom - top) / largest:  # small: keep the gap, shrink the node
        node = (bottom - top) / largest - gap
    node = max(node, MIN_NODE)
    # the columns' nodes sit inside [left, right]: the first and last column's half-node too
    left, right = left + node / 2, right - node / 2
    count = len(sizes)
    xs = tuple(float(left + (right - left) * i / max(count - 1, 1)) for i in range(count))
    centres = []
    middle = (top + bottom) / 2
    for x, n in zip(xs, sizes, strict=True):
        ys = middle + (np.arange(n) - (n - 1) / 2) * (node + gap)  # (n,)
        centres.append(np.column_stack([np.full(n, x), ys]))
    return NetworkGeometry(width, node, node >= MIN_THUMBNAIL, xs, tuple(centres), top, bottom)
