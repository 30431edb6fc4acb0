"""The network view's Qt shapes, made once per size and shape, and what lies under the pointer.

Every line, square, disc and label is made here when the view's size or the network's shape
changes; a paint only picks pens and lists (PySide lets go of the interpreter lock to make or
free a Qt value, and the training thread then takes it from the window).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from playground.core.features import FEATURE_LABELS
from playground.core.parameter_state import ParameterRef
from playground.core.spec import ACTIVATION_CHOICES, NetworkSpec
from playground.ui import theme
from playground.ui.network_layout import MARGIN, NetworkGeometry
from playground.ui.painting import painting
from playground.ui.thumbnails import Thumbnails

WIDTH_STEPS = 6  # line widths: the largest weight gets the widest
BIAS_STEPS = 4  # sizes of the bias square
OFF_COLOR = "#b8b8b8"
HOVER_COLOR = "#222222"
DISPLAY = dict((name, text) for text, name in ACTIVATION_CHOICES)


class Node(NamedTuple):
    """A node of the view: column 0 the inputs, then each hidden layer, then the outputs."""

    column: int
    neuron: int


class NetworkShapes:
    """Shapes for one geometry: lines per weight, squares per node, labels, bias marks."""

    def __init__(self) -> None:
        colors = (QColor(theme.ORANGE), QColor(theme.BLUE))
        self._pens = {positive * WIDTH_STEPS + width: QPen(colors[positive], 0.4 + 0.7 * width)
                      for positive in (0, 1) for width in range(WIDTH_STEPS)}
        self._pens[-1] = QPen(QColor(OFF_COLOR), 0.6, Qt.PenStyle.DashLine)
        self._bias_brushes = (QBrush(colors[0]), QBrush(colors[1]))
        self._node_pen = QPen(QColor("#666666"), 1.0)
        self._hover_pen = QPen(QColor(HOVER_COLOR), 2.0)
        self._off_brush = QBrush(QColor(255, 255, 255, 190))
        self._off_pen = QPen(QColor("#888888"), 1.0, Qt.PenStyle.DashLine)
        self._text = QColor("#333333")
        self._white = QBrush(QColor("#ffffff"))
        self._no_pen = QPen(Qt.PenStyle.NoPen)
        self.geometry: NetworkGeometry | None = None
        self.sizes: tuple[int, ...] = ()
        self.node_rects: list[QRectF] = []  # per node, column by column
        self.edge_lines: list[list[QLineF]] = []  # per layer, row-major (input i, neuron j)
        self._rects = np.zeros((0, 4))  # (n_nodes, 4) for hit tests
        self._first = [0]  # index of each column's first node
        self._starts: list[np.ndarray] = []  # per layer (fan_in, 2): where its lines start
        self._ends: list[np.ndarray] = []  # per layer (fan_out, 2): where they end
        self._bias_rects: list[list[QRectF]] = []  # per node of columns >= 1, per size step
        self._nodes_path = QPainterPath()
        self._off_path = QPainterPath()
        self._off_masks: list[np.ndarray] = []  # per layer (fan_in, fan_out) bool
        self._labels: list[tuple[int, int, str]] = []  # baseline x, y and text
        self._spec = NetworkSpec()
        self._off: frozenset[tuple[int, int]] | None = None  # what the nodes' picture greys
        # what changes only with the size, the shape or the neurons switched off, painted once:
        # the labels under everything, the nodes' outlines (and discs) over the lines
        self._labels_picture: QPixmap | None = None
        self._nodes_picture: QPixmap | None = None

    # ---- making -----------------------------------------------------------------------------

    def make(self, geometry: NetworkGeometry, spec: NetworkSpec, metrics: QFontMetrics) -> None:
        """The shapes of this geometry, laid out for spec (and its number of outputs)."""
        self.geometry, self._spec = geometry, spec
        self.sizes = tuple(len(c) for c in geometry.centres)
        rects = geometry.node_rects()
        self._rects = rects
        self._first = [0, *itertools.accumulate(self.sizes)]
        self.node_rects = [QRectF(*r) for r in rects.tolist()]
        to_edge = np.array([geometry.node / 2, 0.0])  # from a node's centre to its right side
        self._starts = [c + to_edge for c in geometry.centres[:-1]]
        self._ends = [c - to_edge for c in geometry.centres[1:]]
        self.edge_lines = [[QLineF(*a, *b) for a in starts.tolist() for b in ends.tolist()]
                           for starts, ends in zip(self._starts, self._ends, strict=True)]
        self._nodes_path = QPainterPath()
        for rect in self.node_rects:
            if geometry.thumbnails:
                self._nodes_path.addRect(rect)
            else:
                self._nodes_path.addEllipse(rect)
        side = max(3.0, geometry.node * 0.3)
        self._bias_rects = [[QRectF(left, top + height - s, s, s)
                             for s in np.linspace(side / 2, side, BIAS_STEPS).tolist()]
                            for left, top, _, height in rects[self.sizes[0]:].tolist()]
        self._make_labels(geometry, spec, metrics)
        self._labels_picture = self._nodes_picture = None
        self._off = None
        self.set_switched_off(frozenset())

    def _make_labels(self, geometry: NetworkGeometry, spec: NetworkSpec,
                     metrics: QFontMetrics) -> None:
        """Feature names left of the inputs, a caption above every column."""
        middle = (metrics.ascent() - metrics.descent()) / 2  # baseline below a centre line
        self._labels = []
        for name, (x, y) in zip(spec.features, geometry.centres[0].tolist(), strict=False):
            text = FEATURE_LABELS.get(name, name)
            right = x - geometry.node / 2 - 3
            self._labels.append((round(right - metrics.horizontalAdvance(text)),
                                 round(y + middle), text))
        captions = ["input", *(f"{n} {DISPLAY.get(a, a)}" for n, a in
                               zip(spec.hidden, spec.activations, strict=True)), "output"]
        baseline = MARGIN + metrics.ascent()
        xs = geometry.xs
        # each caption has the room halfway to its neighbours (to the edge for the outer two)
        bounds = [0.0, *((a + b) / 2 for a, b in itertools.pairwise(xs)), geometry.width]
        for i, (x, caption) in enumerate(zip(xs, captions, strict=False)):
            low, high = bounds[i] + 2, bounds[i + 1] - 2
            text = metrics.elidedText(caption, Qt.TextElideMode.ElideRight, round(high - low))
            width = metrics.horizontalAdvance(text)
            left = min(max(x - width / 2, low), high - width)  # centred if it can be
            self._labels.append((round(left), round(baseline), text))

    def set_switched_off(self, off: frozenset[tuple[int, int]]) -> None:
        """Grey these (hidden layer, neuron) nodes and the lines into and out of them."""
        if off == self._off and self._nodes_picture is not None:
            return
        self._off = off
        self._nodes_picture = None
        self._off_path = QPainterPath()
        self._off_masks = [np.zeros((a, b), bool) for a, b in itertools.pairwise(self.sizes)]
        for layer, neuron in off:
            column = layer + 1
            if column >= len(self.sizes) - 1 or neuron >= self.sizes[column]:
                continue
            rect = self.node_rects[self._first[column] + neuron]
            if self.geometry.thumbnails:
                self._off_path.addRect(rect)
            else:
                self._off_path.addEllipse(rect)
            self._off_masks[layer][:, neuron] = True
            self._off_masks[layer + 1][neuron, :] = True

    def line_count(self) -> int:
        """How many weights the lines show."""
        return sum(len(lines) for lines in self.edge_lines)

    def off_edges(self, layer: int) -> np.ndarray:
        """(fan_in, fan_out) True for the lines of layer touching a switched-off neuron."""
        return self._off_masks[layer]

    def edge_pen(self, key: int) -> QPen:
        """The pen of a group of lines: -1 greyed, else positive * WIDTH_STEPS + width."""
        return self._pens[key]

    # ---- painting ---------------------------------------------------------------------------

    def paint_nodes(self, painter: QPainter, thumbnails: Thumbnails | None,
                    device: QWidget) -> None:
        """Thumbnails (or white discs), their outlines, and the switched-off ones greyed."""
        if self.geometry.thumbnails and self._off_path.isEmpty():
            # squares: one call, where blending a picture the widget's size costs a millisecond
            if thumbnails is not None:
                thumbnails.paint(painter)
            painter.setPen(self._node_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRects(self.node_rects)
            return
        if thumbnails is not None and self.geometry.thumbnails:
            thumbnails.paint(painter)
        if self._nodes_picture is None or self._nodes_picture.size() != self._pixels(device):
            self._nodes_picture = self._picture(device, self._draw_nodes)
        painter.drawPixmap(0, 0, self._nodes_picture)

    def _draw_nodes(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush if self.geometry.thumbnails else self._white)
        painter.setPen(self._node_pen)
        painter.drawPath(self._nodes_path)
        if not self._off_path.isEmpty():
            painter.setPen(self._off_pen)
            painter.setBrush(self._off_brush)
            painter.drawPath(self._off_path)

    @staticmethod
    def _pixels(device: QWidget) -> QSize:
        ratio = device.devicePixelRatioF()
        return QSize(round(device.width() * ratio), round(device.height() * ratio))

    def _picture(self, device: QWidget, draw) -> QPixmap:
        """A transparent picture of the device's size with draw(painter) in it."""
        picture = QPixmap(self._pixels(device))
        picture.setDevicePixelRatio(device.devicePixelRatioF())
        picture.fill(Qt.GlobalColor.transparent)
        with painting(picture) as painter:
            painter.setFont(device.font())
            draw(painter)
        return picture

    def paint_biases(self, painter: QPainter, values: Sequence[tuple[np.ndarray, np.ndarray]]
                     ) -> None:
        """A square in each neuron's lower left corner: its bias's sign and size."""
        biases = np.concatenate([b for _, b in values])  # (n_nodes - n_inputs,)
        largest = np.max(np.abs(biases), initial=0.0)
        if not (np.isfinite(largest) and largest > 0) or len(biases) != len(self._bias_rects):
            return
        steps = np.minimum((np.abs(biases) / largest * BIAS_STEPS).astype(int), BIAS_STEPS - 1)
        groups: tuple[list[QRectF], list[QRectF]] = ([], [])
        for rects, step, positive in zip(self._bias_rects, steps.tolist(),
                                         (biases > 0).tolist(), strict=True):
            groups[positive].append(rects[step])
        painter.setPen(self._no_pen)
        for brush, rects in zip(self._bias_brushes, groups, strict=True):
            if rects:
                painter.setBrush(brush)
                painter.drawRects(rects)

    def paint_labels(self, painter: QPainter, device: QWidget) -> None:
        """Feature names and column captions (a picture made once per size and shape)."""
        if self._labels_picture is None or self._labels_picture.size() != self._pixels(device):
            self._labels_picture = self._picture(device, self._draw_labels)
        painter.drawPixmap(0, 0, self._labels_picture)

    def _draw_labels(self, painter: QPainter) -> None:
        painter.setPen(self._text)
        for x, y, text in self._labels:
            painter.drawText(x, y, text)

    def paint_hover(self, painter: QPainter, hover: Node | ParameterRef | None) -> None:
        """The node or line under the pointer, outlined."""
        painter.setPen(self._hover_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if isinstance(hover, Node) and self._has_node(hover):
            painter.drawRect(self.node_rects[self._first[hover.column] + hover.neuron])
        elif isinstance(hover, ParameterRef) and hover.row is not None \
                and hover.layer < len(self.edge_lines):
            painter.drawLine(self.edge_lines[hover.layer][hover.row * self.sizes[hover.layer + 1]
                                                          + hover.col])

    # ---- what is where ----------------------------------------------------------------------

    def _has_node(self, node: Node) -> bool:
        return 0 <= node.column < len(self.sizes) and 0 <= node.neuron < self.sizes[node.column]

    def node_at(self, x: float, y: float) -> Node | None:
        """The node whose square (a little enlarged) holds (x, y)."""
        r = self._rects
        pad = 1.5
        inside = ((r[:, 0] - pad <= x) & (x <= r[:, 0] + r[:, 2] + pad)
                  & (r[:, 1] - pad <= y) & (y <= r[:, 1] + r[:, 3] + pad))  # (n_nodes,)
        hits = np.flatnonzero(inside)
        if not len(hits):
            return None
        k = int(hits[0])
        column = int(np.searchsorted(self._first, k, side="right") - 1)
        return Node(column, k - self._first[column])

    def edge_at(self, x: float, y: float, distance: float) -> ParameterRef | None:
        """The weight whose line passes nearest (x, y), if within distance pixels."""
        best, best_d = None, distance
        point = np.array([x, y])
        for layer, (starts, ends) in enumerate(zip(self._starts, self._ends, strict=True)):
            if not (starts[0, 0] - distance <= x <= ends[0, 0] + distance):
                continue
            a = np.repeat(starts, len(ends), axis=0)  # (fan_in * fan_out, 2) row-major
            b = np.tile(ends, (len(starts), 1))
            ab = b - a
            t = np.clip(np.sum((point - a) * ab, axis=1) / np.sum(ab * ab, axis=1), 0, 1)
            d = np.hypot(*(a + t[:, None] * ab - point).T)  # (fan_in * fan_out,)
            k = int(np.argmin(d))
            if d[k] < best_d:
                best_d = float(d[k])
                best = ParameterRef(layer, k // len(ends), k % len(ends))
        return best

    def edge_ends(self, ref: ParameterRef) -> tuple[np.ndarray, np.ndarray]:
        """Where weight ref's line starts and ends."""
        return self._starts[ref.layer][ref.row], self._ends[ref.layer][ref.col]

    def bias_of(self, node: Node | None) -> ParameterRef | None:
        """The bias of a neuron (None for an input)."""
        if node is None or node.column == 0:
            return None
        return ParameterRef(node.column - 1, None, node.neuron)

    def node_name(self, node: Node) -> str:
        """'input x₁', 'neuron 3 of layer 2 (tanh)' or 'output'."""
        spec = self._spec
        if node.column == 0:
            name = spec.features[node.neuron] if node.neuron < len(spec.features) else "?"
            return f"input {FEATURE_LABELS.get(name, name)}"
        if node.column > len(spec.hidden):
            return "output" if self.sizes[-1] == 1 else f"output {node.neuron + 1}"
        activation = DISPLAY.get(spec.activations[node.column - 1], "")
        return f"neuron {node.neuron + 1} of layer {node.column} ({activation})"

    def weight_name(self, ref: ParameterRef) -> str:
        """'weight w2.3.1, neuron 1 of layer 1 → neuron 3 of layer 2'."""
        source = self.node_name(Node(ref.layer, ref.row)).split(" (")[0]
        target = self.node_name(Node(ref.layer + 1, ref.col)).split(" (")[0]
        return f"weight {ref.name()}, {source} → {target}"
